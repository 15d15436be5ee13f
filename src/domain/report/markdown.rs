//! The weekly report as Markdown (lists and one sparkline, no tables).

use super::WeeklyReport;

fn mins(m: Option<i64>) -> String {
    match m {
        None => "—".into(),
        Some(m) => crate::domain::format::coarse_duration(chrono::Duration::minutes(m)),
    }
}

impl WeeklyReport {
    pub fn to_markdown(&self, tz: chrono_tz::Tz, ascii: bool) -> String {
        let mut md = String::new();
        let mut push = |s: &str| {
            md.push_str(s);
            md.push('\n');
        };
        let day =
            |t: chrono::DateTime<chrono::Utc>| t.with_timezone(&tz).format("%Y-%m-%d").to_string();
        push(&format!("# Weekly report — {}", self.week));
        push("");
        push(&format!(
            "{} to {} ({}).",
            day(self.from),
            day(self.to - chrono::Duration::days(1)),
            tz.name()
        ));
        push("");
        push(&format!("## Incidents ({})", self.incidents));
        push("");
        push(&format!(
            "Per day, Monday first: `{}` ({})",
            super::sparkline(&self.per_day, ascii),
            self.per_day
                .iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join(" ")
        ));
        push("");
        for s in &self.by_severity {
            push(&format!(
                "- **{}**: {} declared · MTTA {} (target {}) · MTTR {} · {} breach(es)",
                s.severity,
                s.declared,
                mins(s.mtta_mins),
                mins(Some(s.target_mins)),
                mins(s.mttr_mins),
                s.breaches
            ));
        }
        if !self.by_service.is_empty() {
            let services: Vec<String> = self
                .by_service
                .iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect();
            push(&format!("- by service: {}", services.join(", ")));
        }
        let lists = [
            (
                "Breaches",
                &self.breaches,
                "_None: every response target met._",
            ),
            (
                "Recurrences",
                &self.recurrences,
                "_None: no service failed the same way twice in 30 days._",
            ),
            ("Follow-ups overdue", &self.overdue_followups, "_None._"),
        ];
        for (title, items, empty) in lists {
            push("");
            push(&format!("## {title} ({})", items.len()));
            push("");
            if items.is_empty() {
                push(empty);
            }
            for i in items {
                push(&format!("- {i}"));
            }
        }
        push("");
        push("## Approvals");
        push("");
        push(&format!(
            "- {} decided this week, {} within the one-week target · mean decision time {}",
            self.approvals_decided,
            self.approvals_within_target,
            self.approval_mean_hours
                .map(|h| crate::domain::format::coarse_duration(chrono::Duration::hours(h)))
                .unwrap_or_else(|| "—".into())
        ));
        for a in &self.approvals_overdue_open {
            push(&format!("- **OVERDUE** {a}"));
        }
        push("");
        push("## Checklists");
        push("");
        if self.checklists.is_empty() {
            push("_No step recorded this week._");
        }
        for (list, [done, skipped, failed]) in &self.checklists {
            push(&format!(
                "- {list}: {done} done, {skipped} skipped, {failed} failed"
            ));
        }
        push("");
        push("## Integration availability");
        push("");
        if self.availability.is_empty() {
            push(
                "_No change of status journaled this week (an integration never polled here is not counted)._",
            );
        }
        for (name, pct) in &self.availability {
            push(&format!("- {name}: {pct:.1} % up"));
        }
        if !self.change_records.is_empty() {
            push("");
            push(&format!(
                "## Change records ({})",
                self.change_records.len()
            ));
            for c in &self.change_records {
                push("");
                push(c.trim_end());
            }
        }
        if !self.deviations.is_empty() {
            push("");
            push(&format!(
                "## Deviations from the runbook ({})",
                self.deviations.len()
            ));
            push("");
            for d in &self.deviations {
                push(&format!("- {d}"));
            }
        }
        crate::domain::sanitize::text(&md).into_owned()
    }
}
