//! `shiftdeck report weekly`.

use super::{ReportCmd, exit};
use crate::config::Config;
use std::path::Path;

pub fn run(workspace: &Path, config: &Config, cmd: ReportCmd, ascii: bool) -> i32 {
    let ReportCmd::Weekly { week, json, .. } = cmd;
    let week = match week.as_deref().map(crate::domain::report::Week::parse) {
        None => None,
        Some(Ok(w)) => Some(w),
        Some(Err(e)) => {
            errln!("error: --week {e}");
            return exit::USAGE;
        }
    };
    match crate::ops::report::weekly(workspace, config, week, chrono::Utc::now()) {
        Ok(r) if json => {
            outln!("{}", serde_json::to_string_pretty(&r).unwrap_or_default());
            exit::OK
        }
        Ok(r) => {
            out!("{}", r.to_markdown(config.timezone, ascii));
            exit::OK
        }
        Err(e) => {
            errln!("error: {e}");
            exit::FAILURE
        }
    }
}
