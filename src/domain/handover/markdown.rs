//! The handover as Markdown: lists, no tables, so it reads the same in a
//! terminal, a browser and Slack.

use super::HandoverReport;
use crate::domain::format::coarse_duration;
use chrono::{DateTime, Utc};

impl HandoverReport {
    pub fn is_hold(&self) -> bool {
        !self.hold.is_empty()
    }

    fn local(&self, at: DateTime<Utc>, with_date: bool) -> String {
        let t = at.with_timezone(&self.timezone);
        if with_date {
            t.format("%Y-%m-%d %H:%M").to_string()
        } else {
            t.format("%H:%M").to_string()
        }
    }

    /// The report as Markdown, with every control and bidi character from
    /// outside (titles, notes) dropped: a Markdown viewer or a `cat` in a
    /// terminal shows what it says.
    pub fn to_markdown(&self) -> String {
        self.to_markdown_in(&crate::domain::i18n::Strings::default())
    }

    /// The report with its headings in `strings`' language.
    pub fn to_markdown_in(&self, strings: &crate::domain::i18n::Strings) -> String {
        crate::domain::sanitize::text(&self.markdown_unchecked(strings)).into_owned()
    }

    fn markdown_unchecked(&self, strings: &crate::domain::i18n::Strings) -> String {
        let h = |key: &'static str| strings.get("handover", key);
        let mut md = String::new();
        let push = |md: &mut String, s: &str| {
            md.push_str(s);
            md.push('\n');
        };
        push(&mut md, &format!("# {} — {}", h("title"), self.operator));
        push(&mut md, "");
        push(
            &mut md,
            &format!(
                "Shift `{}`, {} to {} ({}), {} on shift.",
                self.shift,
                self.local(self.started, true),
                self.local(self.ended, true),
                self.timezone.name(),
                coarse_duration(self.ended - self.started)
            ),
        );
        push(&mut md, "");
        let p1 = self
            .open_incidents
            .iter()
            .filter(|i| i.severity == "P1")
            .count();
        if self.is_hold() {
            push(&mut md, "**HOLD** — not everything is green:");
            for h in &self.hold {
                push(&mut md, &format!("- {h}"));
            }
        } else {
            push(&mut md, "**GREEN** — every integration is up.");
        }
        if p1 > 0 {
            push(&mut md, "");
            push(
                &mut md,
                &format!(
                    "**{} open.**",
                    super::super::format::plural(p1, "P1 incident", "P1 incidents")
                ),
            );
        }
        if self.followups_overdue > 0 {
            push(&mut md, "");
            push(
                &mut md,
                &format!(
                    "**{} overdue.**",
                    super::super::format::plural(self.followups_overdue, "follow-up", "follow-ups")
                ),
            );
        }
        push(&mut md, "");
        push(&mut md, &format!("## {}", h("summary")));
        push(&mut md, "");
        push(
            &mut md,
            if self.summary.is_empty() {
                "_No summary written._"
            } else {
                &self.summary
            },
        );
        push(&mut md, "");
        push(
            &mut md,
            &format!("## {} ({})", h("open incidents"), self.open_incidents.len()),
        );
        push(&mut md, "");
        if self.open_incidents.is_empty() {
            push(&mut md, "_None._");
        }
        for i in &self.open_incidents {
            let respond = if i.respond.is_empty() {
                String::new()
            } else {
                format!(" · {}", i.respond)
            };
            push(
                &mut md,
                &format!(
                    "- **{}** `{}` {} — {} · {} · age {}{}",
                    i.severity, i.id, i.title, i.service, i.status, i.age, respond
                ),
            );
        }
        push(&mut md, "");
        push(&mut md, &format!("## {}", h("integrations not green")));
        push(&mut md, "");
        match &self.integrations_not_green {
            None => push(
                &mut md,
                "_Not monitored by this shiftdeck: check each integration by hand._",
            ),
            Some(v) if v.is_empty() => push(&mut md, "_None: all green._"),
            Some(v) => {
                for i in v {
                    let hint = if i.hint.is_empty() {
                        String::new()
                    } else {
                        format!(" — {}", i.hint)
                    };
                    push(&mut md, &format!("- **{}**: {}{}", i.name, i.status, hint));
                }
            }
        }
        if !self.unsent_messages.is_empty() {
            push(&mut md, "");
            push(&mut md, &format!("## {}", h("messages not sent")));
            push(&mut md, "");
            for m in &self.unsent_messages {
                push(&mut md, &format!("- {m}"));
            }
        }
        for (title, items) in [
            (h("pending approvals"), &self.pending_approvals),
            (h("unfinished steps"), &self.unfinished_steps),
        ] {
            push(&mut md, "");
            push(&mut md, &format!("## {title}"));
            push(&mut md, "");
            match items {
                None => push(&mut md, "_Not tracked by this shiftdeck._"),
                Some(v) if v.is_empty() => push(&mut md, "_None._"),
                Some(v) => {
                    for s in v {
                        push(&mut md, &format!("- {s}"));
                    }
                }
            }
        }
        push(&mut md, "");
        push(
            &mut md,
            &format!("## {} ({})", h("what changed"), self.changes.len()),
        );
        push(&mut md, "");
        if self.changes.is_empty() {
            push(&mut md, "_Nothing recorded._");
        }
        for c in &self.changes {
            push(
                &mut md,
                &format!("- {} {} ({})", self.local(c.at, false), c.text, c.operator),
            );
        }
        if !self.change_records.is_empty() {
            push(&mut md, "");
            push(
                &mut md,
                &format!("## {} ({})", h("change records"), self.change_records.len()),
            );
            for c in &self.change_records {
                push(&mut md, "");
                md.push_str(c.trim_end());
                md.push('\n');
            }
        }
        if !self.followups.is_empty() {
            push(&mut md, "");
            push(
                &mut md,
                &format!("## {} ({})", h("follow-ups"), self.followups.len()),
            );
            push(&mut md, "");
            for f in &self.followups {
                push(&mut md, &format!("- {f}"));
            }
        }
        if !self.credential_blockers.is_empty() {
            push(&mut md, "");
            push(
                &mut md,
                &format!(
                    "## {} ({})",
                    h("credential blockers"),
                    self.credential_blockers.len()
                ),
            );
            push(&mut md, "");
            for b in &self.credential_blockers {
                push(
                    &mut md,
                    &format!(
                        "- since {} ({}): {}",
                        self.local(b.since, true),
                        b.operator,
                        b.text.lines().collect::<Vec<_>>().join(" ")
                    ),
                );
            }
        }
        if !self.deviations.is_empty() {
            push(&mut md, "");
            push(
                &mut md,
                &format!("## {} ({})", h("deviations"), self.deviations.len()),
            );
            push(&mut md, "");
            for d in &self.deviations {
                let mut lines = d.text.lines();
                push(
                    &mut md,
                    &format!(
                        "- {} {} ({})",
                        self.local(d.at, false),
                        lines.next().unwrap_or(""),
                        d.operator
                    ),
                );
                for more in lines {
                    push(&mut md, &format!("  {more}"));
                }
            }
        }
        push(&mut md, "");
        push(&mut md, &format!("## {}", h("notes")));
        push(&mut md, "");
        if self.notes.is_empty() {
            push(&mut md, "_No notes._");
        }
        for g in &self.notes {
            let heading = if g.tag.is_empty() {
                "Other notes".to_string()
            } else {
                format!("#{}", g.tag)
            };
            push(&mut md, &format!("### {heading}"));
            push(&mut md, "");
            for n in &g.notes {
                let mut lines = n.text.lines();
                push(
                    &mut md,
                    &format!(
                        "- {} {}",
                        self.local(n.at, false),
                        lines.next().unwrap_or("")
                    ),
                );
                for more in lines {
                    push(&mut md, &format!("  {more}"));
                }
            }
            push(&mut md, "");
        }
        while md.ends_with("\n\n") {
            md.pop();
        }
        md
    }
}
