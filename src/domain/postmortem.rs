//! The post-mortem draft (seed 002 §6 step 6: "append a post-mortem entry
//! to state/incidents/<id>/post-mortem.md"): what the files already know —
//! summary, impact window, who did what when, time to acknowledge and to
//! resolve against the severity's target, breaches, evidence, follow-ups —
//! and empty sections for what only people know. Written again, it keeps
//! what was written in those sections.

use super::evidence::Artifact;
use super::format::coarse_duration;
use super::incident::followup;
use super::{Incident, IncidentChange};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// The sections the operator writes; kept across drafts.
pub const OWN: &[&str] = &["Causes", "What went well", "Lessons"];

const PLACEHOLDER: &str = "_To be written._";

/// The sections the draft writes from the files (a count may follow).
const GENERATED: &[&str] = &[
    "Summary",
    "Response",
    "Breaches and escalations",
    "Timeline",
    "Evidence",
    "Follow-ups",
];

fn generated(heading: &str) -> bool {
    GENERATED
        .iter()
        .any(|g| heading == *g || heading.strip_prefix(g).is_some_and(|r| r.starts_with(" (")))
}

/// What the operator wrote in an earlier draft: under each of [`OWN`], and
/// any section of their own they added (kept after those, in order).
pub fn kept(existing: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut current: Option<(String, Vec<&str>)> = None;
    for line in existing.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            if let Some((name, body)) = current.take() {
                out.push((name, body.join("\n").trim().to_string()));
            }
            if !generated(h.trim()) {
                current = Some((h.trim().to_string(), Vec::new()));
            }
            continue;
        }
        if let Some((_, body)) = current.as_mut() {
            body.push(line);
        }
    }
    if let Some((name, body)) = current {
        out.push((name, body.join("\n").trim().to_string()));
    }
    out.retain(|(_, b)| !b.is_empty() && b != PLACEHOLDER);
    out
}

/// The draft, as Markdown.
pub fn draft(
    inc: &Incident,
    evidence: &[Artifact],
    now: DateTime<Utc>,
    tz: Tz,
    kept: &[(String, String)],
) -> String {
    let at = |t: DateTime<Utc>| t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string();
    let mut md = String::new();
    let mut push = |s: &str| {
        md.push_str(s);
        md.push('\n');
    };
    push(&format!("# Post-mortem: {} — {}", inc.id, inc.title));
    push("");
    push(&format!(
        "Draft written {} ({}) from the incident's files; the sections after the timeline are yours.",
        at(now),
        tz.name()
    ));
    push("");
    push("## Summary");
    push("");
    push(&format!(
        "- **{}** on {} ({}), {}: {}",
        inc.severity,
        inc.service,
        inc.env,
        inc.status,
        inc.severity.meaning()
    ));
    push(&format!(
        "- declared by {} at {}",
        inc.created_by,
        at(inc.started_at)
    ));
    let end = inc.resolved.as_ref().map(|(t, _)| *t);
    push(&format!(
        "- impact window: {} → {} ({})",
        at(inc.started_at),
        end.map(at).unwrap_or_else(|| "ongoing".into()),
        coarse_duration(end.unwrap_or(now) - inc.started_at)
    ));
    push("");
    push("## Response");
    push("");
    // The deadline in force: the declared severity's, tightened by an
    // escalation before the acknowledgement.
    let target = inc.respond_by - inc.started_at;
    let mut breaches = Vec::new();
    match &inc.acknowledged {
        Some((t, by)) => {
            let took = *t - inc.started_at;
            let within = *t <= inc.respond_by;
            push(&format!(
                "- time to acknowledge: {} by {by} (target {}: {})",
                coarse_duration(took),
                coarse_duration(target),
                if within { "met" } else { "missed" }
            ));
            if !within {
                breaches.push(format!(
                    "acknowledged {} after the response deadline",
                    coarse_duration(*t - inc.respond_by)
                ));
            }
        }
        None => {
            push("- time to acknowledge: never acknowledged");
            if now > inc.respond_by {
                breaches.push(format!(
                    "not acknowledged: the response deadline passed {} ago",
                    coarse_duration(now - inc.respond_by)
                ));
            }
        }
    }
    match &inc.resolved {
        Some((t, by)) => push(&format!(
            "- time to resolve: {} by {by} (the runbooks set no resolution target)",
            coarse_duration(*t - inc.started_at)
        )),
        None => push("- time to resolve: not resolved yet"),
    }
    for e in &inc.timeline {
        if let IncidentChange::Escalated { to, .. } = &e.change {
            breaches.push(format!("escalated to {to} at {} by {}", at(e.at), e.by));
        }
    }
    push("");
    push("## Breaches and escalations");
    push("");
    if breaches.is_empty() {
        push("_None._");
    }
    for b in &breaches {
        push(&format!("- {b}"));
    }
    push("");
    push(&format!("## Timeline ({} events)", inc.timeline.len() + 1));
    push("");
    push(&format!(
        "- {} **declared** by {}",
        at(inc.started_at),
        inc.created_by
    ));
    for e in &inc.timeline {
        push(&format!(
            "- {} **{}** by {}: {}",
            at(e.at),
            e.change.label(),
            e.by,
            e.change.timeline_text(tz).replace('\n', " ")
        ));
    }
    push("");
    push("## Evidence");
    push("");
    if evidence.is_empty() {
        push("_None attached._");
    }
    for a in evidence {
        push(&format!("- [{}]({}) — {}", a.name, a.name, a.line(tz)));
    }
    push("");
    push("## Follow-ups");
    push("");
    let fs = followup::of(inc);
    if fs.is_empty() {
        push("_None yet._");
    }
    for f in &fs {
        let due = f.due.map(at).unwrap_or_else(|| "no due date".into());
        let state = if f.is_open() {
            followup::due_words(f, now)
        } else {
            f.state_words()
        };
        push(&format!(
            "- `{}` {} — {}, due {due} · {state}",
            f.id, f.text, f.owner
        ));
    }
    for name in OWN {
        push("");
        push(&format!("## {name}"));
        push("");
        match kept.iter().find(|(n, _)| n == name) {
            Some((_, body)) => push(body),
            None => push(PLACEHOLDER),
        }
    }
    for (name, body) in kept.iter().filter(|(n, _)| !OWN.contains(&n.as_str())) {
        push("");
        push(&format!("## {name}"));
        push("");
        push(body);
    }
    crate::domain::sanitize::text(&md).into_owned()
}

#[cfg(test)]
mod tests;
