//! A minimal HTTP/1.1 over tokio: reading a request, writing an answer.

use super::*;

pub(super) struct Request {
    pub(super) method: String,
    /// Path without the query string.
    pub(super) path: String,
    pub(super) query: String,
    /// Header names lower-cased.
    pub(super) headers: Vec<(String, String)>,
    pub(super) body: Vec<u8>,
}

impl Request {
    pub(super) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether the header is present at all (any value is accepted).
    pub(super) fn has(&self, name: &str) -> bool {
        self.header(name).is_some()
    }

    pub(super) fn segments(&self) -> Vec<&str> {
        self.path.split('/').filter(|s| !s.is_empty()).collect()
    }

    pub(super) fn query_param(&self, key: &str) -> Option<&str> {
        self.query
            .split('&')
            .filter_map(|pair| pair.split_once('=').or(Some((pair, ""))))
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v)
    }

    /// Every value of a query key, in order, keys and values
    /// percent-decoded (`statuses%5B%5D=a` matches `statuses[]`).
    pub(super) fn query_values(&self, key: &str) -> Vec<String> {
        self.query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
            .filter(|(k, _)| percent_decode(k) == key)
            .map(|(_, v)| percent_decode(v))
            .collect()
    }

    /// The first value of a query key, percent-decoded.
    pub(super) fn query_value(&self, key: &str) -> Option<String> {
        self.query_values(key).into_iter().next()
    }
}

/// Decode `%XX` escapes and `+` (form encoding) in a query key or value.
/// Malformed escapes are kept as they are; invalid UTF-8 is replaced.
pub(super) fn percent_decode(s: &str) -> String {
    decode(s, true)
}

/// Decode `%XX` escapes in a path segment (`+` stays `+`).
pub(super) fn percent_decode_path(s: &str) -> String {
    decode(s, false)
}

fn decode(s: &str, plus_is_space: bool) -> String {
    let b = s.as_bytes();
    let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' if plus_is_space => out.push(b' '),
            b'%' if i + 2 < b.len() => match (hex(b[i + 1]), hex(b[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encode everything but RFC 3986 unreserved characters.
pub(super) fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &c in s.as_bytes() {
        if c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_' | b'~') {
            out.push(c as char);
        } else {
            out.push_str(&format!("%{c:02X}"));
        }
    }
    out
}

pub(super) struct Response {
    pub(super) status: u16,
    pub(super) content_type: &'static str,
    pub(super) headers: Vec<(&'static str, String)>,
    pub(super) body: String,
}

impl Response {
    pub(super) fn header(mut self, name: &'static str, value: &str) -> Response {
        self.headers.push((name, value.to_string()));
        self
    }
}

pub(super) fn json_resp(status: u16, body: Value) -> Response {
    Response {
        status,
        content_type: "application/json",
        headers: Vec::new(),
        body: body.to_string(),
    }
}

pub(super) fn text(status: u16, body: &str) -> Response {
    Response {
        status,
        content_type: "text/plain; charset=utf-8",
        headers: Vec::new(),
        body: body.to_string(),
    }
}

pub(super) fn not_found() -> Response {
    json_resp(404, json!({"error": "no such mock route"}))
}

pub(super) enum ReadError {
    /// The client went away (or never sent a full request): just close.
    Closed,
    /// The request is malformed or too large: answer this.
    Bad(Response),
}

pub(super) fn bad_request(why: &str) -> ReadError {
    ReadError::Bad(json_resp(400, json!({"error": why})))
}

pub(super) fn too_large() -> ReadError {
    ReadError::Bad(json_resp(413, json!({"error": "request body too large"})))
}

/// Read once more from the client into `buf`.
pub(super) async fn fill(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Result<(), ReadError> {
    let mut chunk = [0u8; 8192];
    match stream.read(&mut chunk).await {
        Ok(0) | Err(_) => Err(ReadError::Closed),
        Ok(n) => {
            buf.extend_from_slice(&chunk[..n]);
            Ok(())
        }
    }
}

pub(super) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

pub(super) async fn read_request(stream: &mut TcpStream) -> Result<Request, ReadError> {
    let mut buf = Vec::with_capacity(4096);
    let head_end = loop {
        if let Some(i) = find(&buf, b"\r\n\r\n") {
            break i;
        }
        if buf.len() > MAX_HEAD {
            return Err(ReadError::Bad(json_resp(
                431,
                json!({"error": "request head too large"}),
            )));
        }
        fill(stream, &mut buf).await?;
    };
    let head = std::str::from_utf8(&buf[..head_end])
        .map_err(|_| bad_request("request head is not UTF-8"))?;
    let mut lines = head.split("\r\n");
    let mut parts = lines.next().unwrap_or("").split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad_request("malformed request line"));
    };
    if !version.starts_with("HTTP/1.") || method.is_empty() {
        return Err(bad_request("malformed request line"));
    }
    let mut headers = Vec::new();
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            return Err(bad_request("malformed header line"));
        };
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
    }
    // Absolute-form targets (proxy style): keep only the path.
    let target = match target
        .strip_prefix("http://")
        .or_else(|| target.strip_prefix("https://"))
    {
        Some(rest) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => target,
    };
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut req = Request {
        method: method.to_string(),
        path: path.to_string(),
        query: query.to_string(),
        headers,
        body: Vec::new(),
    };

    let mut rest = buf.split_off(head_end + 4);
    let chunked = req
        .header("transfer-encoding")
        .is_some_and(|te| te.to_ascii_lowercase().contains("chunked"));
    req.body = if chunked {
        loop {
            if let Some(body) = decode_chunked(&rest)? {
                break body;
            }
            if rest.len() > MAX_BODY + MAX_HEAD {
                return Err(too_large());
            }
            fill(stream, &mut rest).await?;
        }
    } else {
        let len = match req.header("content-length") {
            None => 0,
            Some(l) => l
                .parse::<usize>()
                .map_err(|_| bad_request("malformed Content-Length"))?,
        };
        if len > MAX_BODY {
            return Err(too_large());
        }
        while rest.len() < len {
            fill(stream, &mut rest).await?;
        }
        rest.truncate(len);
        rest
    };
    Ok(req)
}

/// Decode a complete chunked body; `Ok(None)` while more bytes are needed.
pub(super) fn decode_chunked(data: &[u8]) -> Result<Option<Vec<u8>>, ReadError> {
    let mut out = Vec::new();
    let mut pos = 0;
    loop {
        let Some(eol) = find(&data[pos..], b"\r\n") else {
            return Ok(None);
        };
        let line = std::str::from_utf8(&data[pos..pos + eol])
            .map_err(|_| bad_request("malformed chunk size"))?;
        let size_hex = line.split(';').next().unwrap_or("").trim();
        let size =
            usize::from_str_radix(size_hex, 16).map_err(|_| bad_request("malformed chunk size"))?;
        pos += eol + 2;
        if size == 0 {
            // Optional trailers, then an empty line.
            loop {
                let Some(eol) = find(&data[pos..], b"\r\n") else {
                    return Ok(None);
                };
                pos += eol + 2;
                if eol == 0 {
                    return Ok(Some(out));
                }
            }
        }
        if size > MAX_BODY || out.len() + size > MAX_BODY {
            return Err(too_large());
        }
        if data.len() < pos + size + 2 {
            return Ok(None);
        }
        out.extend_from_slice(&data[pos..pos + size]);
        if &data[pos + size..pos + size + 2] != b"\r\n" {
            return Err(bad_request("malformed chunk"));
        }
        pos += size + 2;
    }
}

pub(super) fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        202 => "Accepted",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        410 => "Gone",
        413 => "Payload Too Large",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Mock Fault",
    }
}

pub(super) async fn write_response(stream: &mut TcpStream, resp: &Response) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n",
        resp.status,
        reason(resp.status),
        resp.content_type,
        resp.body.len()
    );
    for (name, value) in &resp.headers {
        head.push_str(name);
        head.push_str(": ");
        head.push_str(value);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(resp.body.as_bytes()).await?;
    stream.flush().await?;
    stream.shutdown().await
}

/// Hold a connection open without answering until the client goes away.
/// Each read waits for data or EOF, so this never spins.
pub(super) async fn hold(mut stream: TcpStream) {
    let mut buf = [0u8; 1024];
    while let Ok(n) = stream.read(&mut buf).await {
        if n == 0 {
            break;
        }
    }
}

pub(super) fn is_transient(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(
        e.kind(),
        ConnectionAborted | ConnectionReset | Interrupted | WouldBlock
    )
}

pub(super) fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// `bytes` random bytes as lower-case hex.
pub(super) fn random_hex(bytes: usize) -> String {
    let mut b = vec![0u8; bytes];
    if getrandom::fill(&mut b).is_err() {
        // Not security relevant: fall back to a time-and-counter mix.
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        let mut x = nanos
            ^ COUNTER
                .fetch_add(1, Ordering::Relaxed)
                .wrapping_mul(0x9E37_79B9_7F4A_7C15);
        for byte in &mut b {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            *byte = x as u8;
        }
    }
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// A random id shaped like a UUID (8-4-4-4-12 hex).
pub(super) fn uuid_like() -> String {
    uuid_shape(&random_hex(16))
}

/// 32 hex digits as 8-4-4-4-12.
pub(super) fn uuid_shape(h: &str) -> String {
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}
