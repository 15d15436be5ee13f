//! `contacts.toml`: the escalation directory, read and checked with the
//! file and line of every problem. A file that is not TOML costs the whole
//! directory (the screen says so and runs without it); a bad reference costs
//! only that reference.

use crate::diagnostic::FileProblem;
use crate::domain::Severity;
use crate::domain::contacts::{Channels, Directory, Level, Person, Rota, Team};
use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use toml::Spanned;

pub const FILE: &str = "contacts.toml";

pub fn path(workspace: &Path) -> PathBuf {
    workspace.join(FILE)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    people: Vec<RawPerson>,
    #[serde(default)]
    teams: Vec<RawTeam>,
    #[serde(default)]
    levels: Vec<RawLevel>,
    #[serde(default)]
    severity: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
    #[serde(default)]
    owners: RawOwners,
    rota: Option<RawRota>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPerson {
    id: Spanned<String>,
    name: String,
    #[serde(default)]
    role: String,
    phone: Option<String>,
    email: Option<Spanned<String>>,
    slack: Option<String>,
    pagerduty: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTeam {
    id: Spanned<String>,
    name: String,
    phone: Option<String>,
    email: Option<Spanned<String>>,
    slack: Option<String>,
    pagerduty: Option<String>,
    #[serde(default)]
    members: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLevel {
    level: u32,
    name: String,
    #[serde(default)]
    respond: String,
    #[serde(default)]
    who: Vec<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawOwners {
    #[serde(default)]
    integrations: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    services: BTreeMap<String, Spanned<String>>,
    substrate: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRota {
    #[serde(default)]
    name: Option<String>,
    members: Vec<String>,
    start: Spanned<toml::Value>,
    hours: Spanned<u32>,
}

/// Read `contacts.toml` from the workspace; a missing file is an empty
/// directory and no problem.
pub fn load(workspace: &Path) -> (Directory, Vec<FileProblem>) {
    let path = path(workspace);
    match std::fs::read_to_string(&path) {
        Ok(src) => parse(&path, &src),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Directory::default(), Vec::new()),
        Err(e) => (
            Directory::default(),
            vec![FileProblem::new(&path, None, format!("cannot read: {e}"))],
        ),
    }
}

fn channels(
    phone: Option<String>,
    email: Option<Spanned<String>>,
    slack: Option<String>,
    pagerduty: Option<String>,
    problems: &mut Vec<FileProblem>,
    path: &Path,
    src: &str,
) -> Channels {
    let email = email.and_then(|e| {
        let at = e.span().start;
        let v = e.into_inner();
        let ok = v.split_once('@').is_some_and(|(a, b)| {
            !a.is_empty() && b.contains('.') && !v.contains(char::is_whitespace)
        });
        if ok {
            Some(v)
        } else {
            problems.push(FileProblem::at(
                path,
                src,
                at,
                format!("email: {v:?} is not an email address (it is left out)"),
            ));
            None
        }
    });
    let clean = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    Channels {
        phone: clean(phone),
        email,
        slack: clean(slack),
        pagerduty: clean(pagerduty),
    }
}

pub fn parse(path: &Path, src: &str) -> (Directory, Vec<FileProblem>) {
    let raw: RawFile = match toml::from_str(src) {
        Ok(r) => r,
        Err(e) => {
            let mut p = FileProblem::from_toml(path, src, &e);
            p.message
                .push_str(" (the escalation directory is not used until this is fixed)");
            return (Directory::default(), vec![p]);
        }
    };
    let mut problems = Vec::new();
    let mut dir = Directory::default();
    let mut ids = HashSet::new();
    let mut take_id = |id: &Spanned<String>, what: &str, problems: &mut Vec<FileProblem>| -> bool {
        let v = id.get_ref().trim();
        if v.is_empty() {
            problems.push(FileProblem::at(
                path,
                src,
                id.span().start,
                format!("{what} id: must not be empty (left out)"),
            ));
            return false;
        }
        if !ids.insert(v.to_string()) {
            problems.push(FileProblem::at(path, src, id.span().start, format!("{what} id {v:?} is used twice: ids are shared by people and teams (the second is left out)")));
            return false;
        }
        true
    };
    let mut people_ids = HashSet::new();
    for p in raw.people {
        if !take_id(&p.id, "people", &mut problems) {
            continue;
        }
        people_ids.insert(p.id.get_ref().trim().to_string());
        dir.people.push(Person {
            id: p.id.into_inner().trim().to_string(),
            name: p.name,
            role: p.role,
            channels: channels(
                p.phone,
                p.email,
                p.slack,
                p.pagerduty,
                &mut problems,
                path,
                src,
            ),
        });
    }
    let mut raw_members = Vec::new();
    for t in raw.teams {
        if !take_id(&t.id, "teams", &mut problems) {
            continue;
        }
        raw_members.push(t.members);
        dir.teams.push(Team {
            id: t.id.into_inner().trim().to_string(),
            name: t.name,
            channels: channels(
                t.phone,
                t.email,
                t.slack,
                t.pagerduty,
                &mut problems,
                path,
                src,
            ),
            members: Vec::new(),
        });
    }
    // References are checked once every id is known.
    let known =
        |r: &Spanned<String>, field: &str, problems: &mut Vec<FileProblem>| -> Option<String> {
            let v = r.get_ref().trim();
            if ids.contains(v) {
                Some(v.to_string())
            } else {
                problems.push(FileProblem::at(
                    path,
                    src,
                    r.span().start,
                    format!("{field}: no person or team {v:?} in {FILE} (left out)"),
                ));
                None
            }
        };
    for (team, members) in dir.teams.iter_mut().zip(raw_members) {
        for m in members {
            if people_ids.contains(m.get_ref().trim()) {
                team.members.push(m.into_inner().trim().to_string());
            } else {
                problems.push(FileProblem::at(
                    path,
                    src,
                    m.span().start,
                    format!(
                        "teams {:?} members: no person {:?} in {FILE} (left out)",
                        team.id,
                        m.get_ref()
                    ),
                ));
            }
        }
    }
    let mut levels_seen = HashSet::new();
    for l in raw.levels {
        if !levels_seen.insert(l.level) {
            problems.push(FileProblem::new(
                path,
                None,
                format!(
                    "levels: level {} is given twice (the second is left out)",
                    l.level
                ),
            ));
            continue;
        }
        let who = l
            .who
            .iter()
            .filter_map(|w| known(w, &format!("levels {} who", l.level), &mut problems))
            .collect();
        dir.levels.push(Level {
            level: l.level,
            name: l.name,
            respond: l.respond,
            who,
        });
    }
    dir.levels.sort_by_key(|l| l.level);
    for (key, targets) in raw.severity {
        let sev = match key.get_ref().parse::<Severity>() {
            Ok(s) => s,
            Err(e) => {
                problems.push(FileProblem::at(
                    path,
                    src,
                    key.span().start,
                    format!("severity: {e} (left out)"),
                ));
                continue;
            }
        };
        let who = targets
            .iter()
            .filter_map(|w| known(w, &format!("severity.{sev}"), &mut problems))
            .collect();
        dir.severity.insert(sev, who);
    }
    for (name, owner) in raw.owners.integrations {
        if let Some(id) = known(
            &owner,
            &format!("owners.integrations.{name}"),
            &mut problems,
        ) {
            dir.integrations.insert(name, id);
        }
    }
    for (name, owner) in raw.owners.services {
        if let Some(id) = known(&owner, &format!("owners.services.{name}"), &mut problems) {
            dir.services.insert(name, id);
        }
    }
    if let Some(s) = raw.owners.substrate {
        dir.substrate = known(&s, "owners.substrate", &mut problems);
    }
    if let Some(r) = raw.rota {
        dir.rota = rota(r, path, src, &mut problems);
    }
    (dir, problems)
}

fn rota(r: RawRota, path: &Path, src: &str, problems: &mut Vec<FileProblem>) -> Option<Rota> {
    let at = r.start.span().start;
    let text = match r.start.get_ref() {
        toml::Value::String(s) => s.clone(),
        toml::Value::Datetime(d) => d.to_string(),
        other => other.to_string(),
    };
    let start = match chrono::DateTime::parse_from_rfc3339(text.trim()) {
        Ok(t) => t.with_timezone(&chrono::Utc),
        Err(_) => {
            problems.push(FileProblem::at(path, src, at, format!("rota start: {text:?} is not a time with an offset, like 2026-11-30T07:00:00-03:00 (the rota is not used)")));
            return None;
        }
    };
    if *r.hours.get_ref() == 0 || *r.hours.get_ref() > 24 * 31 {
        problems.push(FileProblem::at(
            path,
            src,
            r.hours.span().start,
            "rota hours: must be 1 to 744 (the rota is not used)",
        ));
        return None;
    }
    let members: Vec<String> = r
        .members
        .into_iter()
        .map(|m| m.trim().to_string())
        .filter(|m| !m.is_empty())
        .collect();
    if members.is_empty() {
        problems.push(FileProblem::at(
            path,
            src,
            at,
            "rota members: nobody in it (the rota is not used)",
        ));
        return None;
    }
    Some(Rota {
        name: r.name.unwrap_or_else(|| "rota".into()),
        members,
        start,
        hours: r.hours.into_inner(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("/ws/contacts.toml")
    }

    #[test]
    fn the_bundled_directory_reads_clean() {
        let (dir, problems) = parse(p(), include_str!("../../data/contacts.toml"));
        assert!(problems.is_empty(), "{problems:?}");
        assert!(!dir.for_severity(Severity::P1).is_empty());
        assert_eq!(dir.levels.len(), 3);
        let (dir, problems) = parse(p(), include_str!("../../data/demo/contacts.toml"));
        assert!(problems.is_empty(), "{problems:?}");
        assert!(dir.service_owner("credguard-api").is_some());
    }

    #[test]
    fn every_problem_names_its_line_and_costs_only_itself() {
        let src = "\
[[people]]
id = \"cto\"
name = \"Carla\"
email = \"not-an-email\"

[[people]]
id = \"cto\"
name = \"Twice\"

[[teams]]
id = \"ops\"
name = \"Ops\"
members = [\"cto\", \"ghost\"]

[severity]
P1 = [\"cto\", \"ctoo\"]
P9 = [\"ops\"]

[owners.services]
credguard-api = \"ops\"
gateway = \"nobody\"

[rota]
members = [\"ana\"]
start = \"yesterday\"
hours = 12
";
        let (dir, problems) = parse(p(), src);
        let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        let has = |line: usize, words: &str| {
            assert!(
                problems
                    .iter()
                    .any(|p| p.line == Some(line) && p.message.contains(words)),
                "line {line} {words:?} in {text:#?}"
            )
        };
        has(4, "not an email address");
        has(7, "used twice");
        has(13, "no person \"ghost\"");
        has(16, "no person or team \"ctoo\"");
        has(17, "unknown severity");
        has(21, "owners.services.gateway");
        has(25, "rota start");
        assert_eq!(problems.len(), 7, "{text:#?}");
        // What was right stands.
        assert_eq!(dir.for_severity(Severity::P1).len(), 1);
        assert_eq!(dir.teams[0].members, vec!["cto".to_string()]);
        assert_eq!(
            dir.service_owner("CREDGUARD-API").map(|c| c.id()),
            Some("ops")
        );
        assert!(dir.people[0].channels.email.is_none());
        assert!(dir.rota.is_none());
    }

    #[test]
    fn a_file_that_is_not_toml_costs_the_directory_with_its_line() {
        let (dir, problems) = parse(p(), "[[people]]\nid = \"a\nname = \"b\"\n");
        assert!(dir.is_empty());
        assert_eq!(problems[0].line, Some(2), "{:?}", problems);
        let (_, problems) = parse(p(), "[[people]]\nid = \"a\"\nname = \"b\"\nfax = \"1\"\n");
        assert_eq!(problems[0].line, Some(4));
        assert!(
            problems[0].message.contains("unknown field `fax`"),
            "{}",
            problems[0]
        );
    }
}
