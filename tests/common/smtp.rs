//! A small real SMTP server on 127.0.0.1 for tests: ESMTP with AUTH PLAIN
//! and LOGIN, keeps every mail it accepts (envelope, data, who logged in).
//! Refuses logins when `password` is set and does not match.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone, Default)]
pub struct Mail {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
    /// (user, password) of the login, if any.
    pub login: Option<(String, String)>,
}

pub struct Smtp {
    pub port: u16,
    pub mails: Arc<Mutex<Vec<Mail>>>,
}

fn b64(s: &str) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = Vec::new();
    for c in s.trim().bytes() {
        let Some(v) = A.iter().position(|&a| a == c) else {
            continue;
        };
        bits = (bits << 6) | v as u32;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Serve on `port` (0: any free port) until the test ends.
pub fn serve(port: u16, password: Option<&'static str>) -> Smtp {
    let listener = TcpListener::bind(("127.0.0.1", port)).unwrap();
    let port = listener.local_addr().unwrap().port();
    let mails = Arc::new(Mutex::new(Vec::new()));
    let kept = mails.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let kept = kept.clone();
            std::thread::spawn(move || session(stream, kept, password));
        }
    });
    Smtp { port, mails }
}

fn session(stream: std::net::TcpStream, kept: Arc<Mutex<Vec<Mail>>>, password: Option<&str>) {
    let mut out = stream.try_clone().unwrap();
    let mut r = BufReader::new(stream);
    let mut say = |s: &str| {
        let _ = out.write_all(s.as_bytes());
        let _ = out.flush();
    };
    say("220 mail.test ESMTP ready\r\n");
    let mut mail = Mail::default();
    let mut login: Option<(String, String)> = None;
    let mut line = String::new();
    let read = |r: &mut BufReader<std::net::TcpStream>, line: &mut String| -> bool {
        line.clear();
        matches!(r.read_line(line), Ok(n) if n > 0)
    };
    let check = |user: String, pass: String| -> Option<(String, String)> {
        match password {
            Some(p) if p != pass => None,
            _ => Some((user, pass)),
        }
    };
    while read(&mut r, &mut line) {
        let cmd = line.trim_end().to_string();
        let upper = cmd.to_ascii_uppercase();
        if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            say("250-mail.test\r\n250-AUTH PLAIN LOGIN\r\n250-8BITMIME\r\n250 SIZE 10485760\r\n");
        } else if upper.starts_with("AUTH PLAIN") {
            let arg = cmd.split_whitespace().nth(2).unwrap_or("").to_string();
            let arg = if arg.is_empty() {
                say("334 \r\n");
                if !read(&mut r, &mut line) {
                    return;
                }
                line.trim().to_string()
            } else {
                arg
            };
            let parts: Vec<String> = b64(&arg).split('\0').map(str::to_string).collect();
            let (user, pass) = (
                parts.get(1).cloned().unwrap_or_default(),
                parts.get(2).cloned().unwrap_or_default(),
            );
            match check(user, pass) {
                Some(l) => {
                    login = Some(l);
                    say("235 2.7.0 Authentication successful\r\n");
                }
                None => say("535 5.7.8 Authentication credentials invalid\r\n"),
            }
        } else if upper.starts_with("AUTH LOGIN") {
            say("334 VXNlcm5hbWU6\r\n");
            if !read(&mut r, &mut line) {
                return;
            }
            let user = b64(&line);
            say("334 UGFzc3dvcmQ6\r\n");
            if !read(&mut r, &mut line) {
                return;
            }
            match check(user, b64(&line)) {
                Some(l) => {
                    login = Some(l);
                    say("235 2.7.0 Authentication successful\r\n");
                }
                None => say("535 5.7.8 Authentication credentials invalid\r\n"),
            }
        } else if upper.starts_with("MAIL FROM:") {
            mail = Mail {
                from: cmd[10..]
                    .trim()
                    .trim_matches(['<', '>'])
                    .split('>')
                    .next()
                    .unwrap_or("")
                    .to_string(),
                login: login.clone(),
                ..Default::default()
            };
            say("250 2.1.0 Ok\r\n");
        } else if upper.starts_with("RCPT TO:") {
            mail.to
                .push(cmd[8..].trim().trim_matches(['<', '>']).to_string());
            say("250 2.1.5 Ok\r\n");
        } else if upper == "DATA" {
            say("354 End data with <CR><LF>.<CR><LF>\r\n");
            let mut data = String::new();
            while read(&mut r, &mut line) {
                if line == ".\r\n" || line == ".\n" {
                    break;
                }
                data.push_str(&line);
            }
            mail.data = data;
            kept.lock().unwrap().push(std::mem::take(&mut mail));
            say("250 2.0.0 Ok: queued\r\n");
        } else if upper == "QUIT" {
            say("221 2.0.0 Bye\r\n");
            return;
        } else if upper == "RSET" || upper == "NOOP" {
            say("250 2.0.0 Ok\r\n");
        } else {
            say("502 5.5.2 Command not recognized\r\n");
        }
    }
}
