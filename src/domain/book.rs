//! All incidents, folded from their records and events.

use super::Severity;
use super::incident::{Incident, IncidentEvent, IncidentRecord, IncidentStatus};
use super::query::{IncidentRow, Query};
use chrono::{DateTime, Utc};
use std::collections::{HashMap, HashSet};

/// All incidents, folded. Keeps an index by id so appending events is O(1).
#[derive(Debug, Clone)]
pub struct IncidentBook {
    incidents: Vec<Incident>,
    index: HashMap<String, usize>,
    /// Events whose incident record has not been seen (yet): kept, applied
    /// when the record arrives (another writer may append events first).
    orphans: Vec<IncidentEvent>,
    keep_timelines: bool,
}

impl Default for IncidentBook {
    fn default() -> Self {
        IncidentBook {
            incidents: Vec::new(),
            index: HashMap::new(),
            orphans: Vec::new(),
            keep_timelines: true,
        }
    }
}

impl IncidentBook {
    pub fn fold(records: &[IncidentRecord], events: &[IncidentEvent]) -> IncidentBook {
        let mut book = IncidentBook::default();
        book.add_records(records);
        book.add_events(events);
        book
    }

    /// Add newly read declaration records. A repeated id is ignored (the
    /// first declaration stands).
    pub fn add_records(&mut self, records: &[IncidentRecord]) {
        for r in records {
            if self.index.contains_key(&r.id) {
                continue;
            }
            self.index.insert(r.id.clone(), self.incidents.len());
            self.incidents.push(Incident::from_record(r));
        }
        if !self.orphans.is_empty() {
            let orphans = std::mem::take(&mut self.orphans);
            self.add_events_owned(orphans);
        }
    }

    pub fn add_events(&mut self, events: &[IncidentEvent]) {
        for e in events {
            match self.index.get(&e.incident_id) {
                Some(&i) if self.keep_timelines => self.incidents[i].apply(e),
                Some(&i) => self.incidents[i].apply_state(e),
                None => self.orphans.push(e.clone()),
            }
        }
    }

    /// Like [`IncidentBook::add_events`], moving the events into the timelines.
    pub fn add_events_owned(&mut self, events: Vec<IncidentEvent>) {
        for e in events {
            match self.index.get(&e.incident_id) {
                Some(&i) if self.keep_timelines => self.incidents[i].apply_owned(e),
                Some(&i) => self.incidents[i].apply_state(&e),
                None => self.orphans.push(e),
            }
        }
    }

    /// A book that folds state but keeps no timelines: for a process that
    /// only checks changes (the TUI's store thread), at a fraction of the memory.
    pub fn state_only() -> IncidentBook {
        IncidentBook {
            keep_timelines: false,
            ..IncidentBook::default()
        }
    }

    /// Forget the local incidents (their file was replaced); keeps the
    /// remote ones, which come from their vendors, and the timeline setting.
    pub fn clear(&mut self) {
        self.incidents.retain(|i| i.remote.is_some());
        self.reindex();
        self.orphans.clear();
    }

    fn reindex(&mut self) {
        self.index = self
            .incidents
            .iter()
            .enumerate()
            .map(|(i, inc)| (inc.id.clone(), i))
            .collect();
    }

    pub fn get(&self, id: &str) -> Option<&Incident> {
        self.index.get(id).map(|&i| &self.incidents[i])
    }

    pub fn all(&self) -> &[Incident] {
        &self.incidents
    }

    pub fn len(&self) -> usize {
        self.incidents.len()
    }

    pub fn is_empty(&self) -> bool {
        self.incidents.is_empty()
    }

    pub fn orphan_events(&self) -> usize {
        self.orphans.len()
    }

    /// Active incidents of a severity (for the status bar).
    pub fn open_count(&self, severity: Severity) -> usize {
        self.incidents
            .iter()
            .filter(|i| i.is_active() && i.severity == severity)
            .count()
    }

    /// Indices of incidents in display order: active before resolved, then
    /// most severe first, then oldest first (the one waiting longest on top).
    pub fn sorted_indices(
        &self,
        query: &Query,
        now: DateTime<Utc>,
        include_resolved: bool,
    ) -> Vec<usize> {
        let mut v: Vec<usize> = (0..self.incidents.len())
            .filter(|&i| {
                let incident = &self.incidents[i];
                (include_resolved || incident.is_active())
                    && query.matches(&IncidentRow { incident, now })
            })
            .collect();
        v.sort_by(|&a, &b| {
            let (x, y) = (&self.incidents[a], &self.incidents[b]);
            (x.status == IncidentStatus::Resolved)
                .cmp(&(y.status == IncidentStatus::Resolved))
                .then(x.severity.cmp(&y.severity))
                .then(x.started_at.cmp(&y.started_at))
                .then(x.id.cmp(&y.id))
        });
        v
    }

    /// Replace one remote source's incidents with a fresh list. One that
    /// was active and is no longer listed was closed elsewhere: it stays,
    /// resolved as of `now` and marked gone, until the app restarts.
    pub fn set_remote(&mut self, source: &str, fresh: Vec<Incident>, now: DateTime<Utc>) {
        let listed: HashSet<&str> = fresh.iter().map(|i| i.id.as_str()).collect();
        let mut kept = Vec::with_capacity(self.incidents.len() + fresh.len());
        for mut inc in std::mem::take(&mut self.incidents) {
            let ours = inc.remote.as_ref().is_some_and(|r| r.source == source);
            if !ours {
                kept.push(inc);
            } else if !listed.contains(inc.id.as_str()) {
                if inc.is_active() {
                    inc.status = IncidentStatus::Resolved;
                    if let Some(r) = inc.remote.as_mut() {
                        inc.resolved = Some((now, format!("someone at {}", r.vendor)));
                        r.gone = true;
                        r.pending.clear();
                    }
                }
                kept.push(inc);
            }
        }
        kept.extend(fresh);
        self.incidents = kept;
        self.reindex();
    }

    /// One remote incident read by itself (no longer on its source's open
    /// list: resolved or closed there): added, or put in place of the one
    /// with its id.
    pub fn put_remote(&mut self, inc: Incident) {
        match self.index.get(inc.id.as_str()) {
            Some(&i) => self.incidents[i] = inc,
            None => {
                self.incidents.push(inc);
                self.reindex();
            }
        }
    }

    /// A remote incident this app resolved at its vendor: resolved by
    /// `by`, not gone unexplained.
    pub fn resolved_here(&mut self, id: &str, at: DateTime<Utc>, by: &str) {
        if let Some(&i) = self.index.get(id) {
            let inc = &mut self.incidents[i];
            inc.status = IncidentStatus::Resolved;
            inc.resolved = Some((at, by.to_string()));
            if let Some(r) = inc.remote.as_mut() {
                r.gone = false;
                r.pending.clear();
            }
        }
    }

    /// Mark what waits in the outbox on a source's incidents.
    pub fn set_pending(&mut self, source: &str, pending: &[(String, String)]) {
        for inc in &mut self.incidents {
            if let Some(r) = inc.remote.as_mut().filter(|r| r.source == source) {
                r.pending = pending
                    .iter()
                    .filter(|(id, _)| *id == inc.id)
                    .map(|(_, what)| what.clone())
                    .collect();
            }
        }
    }

    pub fn by_index(&self, i: usize) -> &Incident {
        &self.incidents[i]
    }

    /// Find an incident by id or by a unique suffix/prefix of it (scripts and
    /// tired operators type the random tail).
    pub fn find(&self, key: &str) -> Result<&Incident, String> {
        if let Some(i) = self.get(key) {
            return Ok(i);
        }
        let hits: Vec<&Incident> = self
            .incidents
            .iter()
            .filter(|i| i.id.ends_with(key) || i.id.starts_with(key))
            .collect();
        match hits.len() {
            1 => Ok(hits[0]),
            0 => Err(format!("no incident {key:?}")),
            n => Err(format!(
                "{key:?} matches {n} incidents: give more of the id"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::remote::{RemoteIncident, Vendor};
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 3, 0, 0).unwrap()
    }

    fn remote(number: &str) -> Incident {
        RemoteIncident {
            source: "pd".into(),
            vendor: Vendor::Pagerduty,
            remote_id: format!("Q{number}"),
            number: number.into(),
            id: format!("PD-{number}"),
            title: "api 5xx".into(),
            service: "api".into(),
            severity: Severity::P2,
            vendor_priority: "P2".into(),
            status: IncidentStatus::Open,
            created_at: now(),
            updated_at: now(),
            acknowledged: None,
            resolved: None,
            assignees: Vec::new(),
            url: None,
            labels: Default::default(),
            annotations: Default::default(),
            silences: Vec::new(),
            snoozed_until: None,
        }
        .to_incident()
    }

    fn local(id: &str) -> IncidentRecord {
        IncidentRecord {
            id: id.into(),
            title: "disk full".into(),
            service: "db".into(),
            severity: Severity::P3,
            env: "prod".into(),
            started_at: now(),
            created_by: "ana".into(),
        }
    }

    #[test]
    fn a_source_list_replaces_its_own_and_keeps_what_left_as_resolved() {
        let mut book = IncidentBook::fold(&[local("inc_a")], &[]);
        book.set_remote("pd", vec![remote("1"), remote("2")], now());
        assert_eq!(book.len(), 3);
        book.set_remote("pd", vec![remote("2"), remote("3")], now());
        assert_eq!(book.len(), 4, "PD-1 stays, resolved");
        let gone = book.get("PD-1").unwrap();
        assert_eq!(gone.status, IncidentStatus::Resolved);
        assert!(gone.remote.as_ref().unwrap().gone);
        assert_eq!(gone.resolved.as_ref().unwrap().1, "someone at PagerDuty");
        assert!(book.get("PD-3").is_some() && book.get("inc_a").is_some());
        book.set_pending("pd", &[("PD-2".into(), "ack queued 03:00".into())]);
        assert_eq!(
            book.get("PD-2").unwrap().remote.as_ref().unwrap().pending,
            ["ack queued 03:00"]
        );
    }

    #[test]
    fn a_replaced_local_file_keeps_the_remote_incidents() {
        let mut book = IncidentBook::fold(&[local("inc_a")], &[]);
        book.set_remote("pd", vec![remote("1")], now());
        book.clear();
        assert!(book.get("inc_a").is_none());
        assert!(book.get("PD-1").is_some(), "still indexed");
        book.add_records(&[local("inc_b")]);
        assert_eq!(book.len(), 2);
        assert!(book.get("inc_b").is_some());
    }
}
