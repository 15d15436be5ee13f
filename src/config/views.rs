//! `[views]`: filters kept under a name, each checked against the fields
//! of the pane it filters when the file is read.
//!
//! ```toml
//! [views]
//! mine = "status:ack owner:me"
//! p1 = { query = "sev:P1 -status:resolved", key = "1", pane = "incidents" }
//! ```

use super::lines::{line_of, table_field_line};
use crate::diagnostic::FileProblem;
use crate::domain::query::{Query, SavedView, fields_of};
use std::path::Path;

const PANES: &str = "incidents, approvals, checklists, health or journal";

pub(super) fn parse(
    path: &Path,
    source: &str,
    at: usize,
    value: toml::Value,
) -> (Vec<SavedView>, Vec<FileProblem>) {
    let mut views = Vec::new();
    let mut problems = Vec::new();
    let Some(table) = value.as_table() else {
        problems.push(FileProblem::at(
            path,
            source,
            at,
            "[views]: expected a table of name = \"query\"",
        ));
        return (views, problems);
    };
    for (name, v) in table {
        let line = table_field_line(source, "views", name).or(Some(line_of(source, at)));
        let mut wrong = |why: String| {
            problems.push(FileProblem::new(
                path,
                line,
                format!("[views] {name}: {why} (the view is left out)"),
            ))
        };
        let (query, pane, key) = match v {
            toml::Value::String(q) => (q.clone(), "incidents".to_string(), None),
            toml::Value::Table(t) => {
                if let Some(k) = t
                    .keys()
                    .find(|k| !["query", "pane", "key"].contains(&k.as_str()))
                {
                    wrong(format!("unknown field `{k}`, expected query, pane or key"));
                    continue;
                }
                let Some(q) = t.get("query").and_then(|q| q.as_str()) else {
                    wrong("query: expected the filter in quotes".into());
                    continue;
                };
                let pane = match t.get("pane") {
                    None => "incidents".to_string(),
                    Some(p) => match p.as_str() {
                        Some(p) => p.to_lowercase(),
                        None => {
                            wrong(format!("pane: expected {PANES} in quotes"));
                            continue;
                        }
                    },
                };
                let key = match t.get("key").map(|k| k.as_str()) {
                    None => None,
                    Some(Some(k)) if k.chars().count() == 1 => k.chars().next(),
                    Some(_) => {
                        wrong("key: expected one character in quotes, like \"M\"".into());
                        continue;
                    }
                };
                (q.to_string(), pane, key)
            }
            other => {
                wrong(format!(
                    "expected a query in quotes or {{ query = …, key = …, pane = … }}, found {}",
                    other.type_str()
                ));
                continue;
            }
        };
        let Some(fields) = fields_of(&pane) else {
            wrong(format!("pane: unknown pane {pane:?} (expected {PANES})"));
            continue;
        };
        if let Err(e) = Query::parse(&query, fields, "") {
            wrong(e.to_string());
            continue;
        }
        views.push(SavedView {
            name: name.clone(),
            query,
            pane,
            key,
        });
    }
    (views, problems)
}

#[cfg(test)]
mod tests {
    use crate::config::parse;
    use std::path::Path;

    #[test]
    fn views_are_read_and_a_bad_one_names_its_line_and_field() {
        let src = "operator = \"ana\"\n[views]\nmine = \"status:ack owner:me\"\np1 = { query = \"sev:P1\", key = \"1\" }\nbad = \"colour:red\"\nsteps = { query = \"status:open\", pane = \"checklists\", key = \"o\" }\n";
        let (c, problems) = parse(Path::new("shiftdeck.toml"), src).unwrap();
        let names: Vec<&str> = c.views.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["mine", "p1", "steps"]);
        assert_eq!(c.views[1].key, Some('1'));
        assert_eq!(c.views[2].pane, "checklists");
        assert_eq!(problems.len(), 1, "{problems:?}");
        let p = problems[0].to_string();
        assert!(p.contains("shiftdeck.toml:5"), "{p}");
        assert!(p.contains("[views] bad: no field 'colour' here"), "{p}");
    }
}
