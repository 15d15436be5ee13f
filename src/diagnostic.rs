//! Problems found in files the user edits or the app keeps, always with the
//! file, the line and what is wrong.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblem {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

impl FileProblem {
    pub fn new(path: &Path, line: Option<usize>, message: impl Into<String>) -> FileProblem {
        FileProblem {
            path: path.to_path_buf(),
            line,
            message: message.into(),
        }
    }

    /// From a byte offset into the file's text.
    pub fn at(path: &Path, source: &str, offset: usize, message: impl Into<String>) -> FileProblem {
        FileProblem::new(path, Some(line_of(source, offset)), message)
    }

    /// From a TOML parse or type error, pointing at its line.
    pub fn from_toml(path: &Path, source: &str, err: &toml::de::Error) -> FileProblem {
        let line = err.span().map(|s| line_of(source, s.start));
        let mut message = err.message().trim().to_string();
        // toml's type errors do not say which key: name it from the line.
        if let Some(key) = line
            .and_then(|l| source.lines().nth(l - 1))
            .and_then(key_on_line)
            && !message.contains(&key)
        {
            message = format!("{key}: {message}");
        }
        FileProblem::new(path, line, message)
    }
}

impl fmt::Display for FileProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}: {}", self.path.display(), l, self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

/// The key of a `key = value` line, if it is one.
fn key_on_line(line: &str) -> Option<String> {
    let (key, _) = line.split_once('=')?;
    let key = key.trim().trim_matches('"');
    (!key.is_empty() && !key.starts_with('[') && !key.starts_with('#')).then(|| key.to_string())
}

/// 1-based line number of a byte offset.
pub fn line_of(source: &str, offset: usize) -> usize {
    let end = offset.min(source.len());
    source.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_count_from_one() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 99), 3);
    }

    #[test]
    fn toml_errors_name_file_and_line() {
        let src = "operator = \"ana\"\nrole = \n";
        let err = toml::from_str::<toml::Table>(src).unwrap_err();
        let p = FileProblem::from_toml(Path::new("/ws/shiftdeck.toml"), src, &err);
        assert_eq!(p.line, Some(2));
        assert!(p.to_string().starts_with("/ws/shiftdeck.toml:2: "), "{p}");
    }
}
