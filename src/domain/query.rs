//! What `/` takes in every list: words and field terms, one rule for every
//! pane. `sev:P1 status:open svc:gateway breached` keeps the rows where
//! every term holds; a bare word matches any column shown; `-word` or
//! `!svc:db` negates a term; `me` as a field's value is the operator.

use std::borrow::Cow;

mod rows;
pub use rows::{IncidentRow, StepRow};

/// One parsed filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    terms: Vec<Term>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Term {
    /// The field's canonical name; `None` for a bare word.
    field: Option<&'static str>,
    /// Lower case.
    value: String,
    negate: bool,
}

/// A row a query can look at: the text of each of its fields, named.
pub trait Searchable {
    /// Every field a query may name, with the text the pane shows for it.
    /// A bare word matches any of them.
    fn fields(&self) -> Vec<(&'static str, Cow<'_, str>)>;
}

/// Shorter names a query may use for a field.
const ALIASES: &[(&str, &str)] = &[
    ("sev", "severity"),
    ("svc", "service"),
    ("src", "source"),
    ("vendor", "source"),
    ("st", "status"),
    ("state", "status"),
    ("by", "owner"),
    ("who", "owner"),
    ("type", "kind"),
];

/// Why a query text cannot be used here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    pub field: String,
    pub known: Vec<&'static str>,
}

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "no field '{}' here; fields: {}",
            self.field,
            self.known.join(", ")
        )
    }
}

impl Query {
    /// Parse `text` for rows whose fields are `known`; `me` stands for
    /// `operator` as a field's value. A term naming an unknown field is an
    /// error that lists the known ones.
    pub fn parse(text: &str, known: &[&'static str], operator: &str) -> Result<Query, QueryError> {
        let mut terms = Vec::new();
        for word in text.split_whitespace() {
            let (negate, word) = match word.strip_prefix(['-', '!']) {
                Some(rest) if !rest.is_empty() => (true, rest),
                _ => (false, word),
            };
            let term = match word.split_once(':') {
                Some((key, value)) if !key.is_empty() && !value.is_empty() => {
                    let key = key.to_lowercase();
                    let canonical = ALIASES
                        .iter()
                        .find(|(a, _)| *a == key)
                        .map(|(_, c)| *c)
                        .unwrap_or(key.as_str());
                    let Some(field) = known.iter().find(|k| **k == canonical).copied() else {
                        return Err(QueryError {
                            field: key,
                            known: known.to_vec(),
                        });
                    };
                    let value = if value.eq_ignore_ascii_case("me") {
                        operator.to_lowercase()
                    } else {
                        value.to_lowercase()
                    };
                    Term {
                        field: Some(field),
                        value,
                        negate,
                    }
                }
                _ => Term {
                    field: None,
                    value: word.to_lowercase(),
                    negate,
                },
            };
            terms.push(term);
        }
        Ok(Query { terms })
    }

    /// A query that keeps everything.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Whether `row` holds every term.
    pub fn matches(&self, row: &impl Searchable) -> bool {
        if self.terms.is_empty() {
            return true;
        }
        let fields = row.fields();
        self.terms.iter().all(|t| {
            let hit = fields
                .iter()
                .filter(|(name, _)| t.field.is_none_or(|f| f == *name))
                .any(|(_, text)| contains_ci(text, &t.value));
            hit != t.negate
        })
    }

    /// The bare words, for highlighting what matched.
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.terms
            .iter()
            .filter(|t| t.field.is_none() && !t.negate)
            .map(|t| t.value.as_str())
    }
}

/// A filter kept under a name (`[views]` in shiftdeck.toml), applied by
/// `:view NAME` or its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedView {
    pub name: String,
    pub query: String,
    /// The pane it filters: `incidents` unless it says.
    pub pane: String,
    /// One character that applies it from its pane, when it has one.
    pub key: Option<char>,
}

/// The fields a pane's rows have, by the pane's name.
pub fn fields_of(pane: &str) -> Option<&'static [&'static str]> {
    use crate::domain::approval::ApprovalRecord;
    use crate::domain::health::IntegrationHealth;
    use crate::domain::journal::JournalEntry;
    Some(match pane {
        "incidents" => IncidentRow::FIELDS,
        "approvals" => ApprovalRecord::FIELDS,
        "checklists" => StepRow::FIELDS,
        "health" => IntegrationHealth::FIELDS,
        "journal" => JournalEntry::FIELDS,
        _ => return None,
    })
}

/// Case-insensitive `contains`, without allocating for ASCII text.
pub fn contains_ci(hay: &str, needle_lower: &str) -> bool {
    if needle_lower.is_empty() {
        return true;
    }
    if hay.is_ascii() && needle_lower.is_ascii() {
        let hay = hay.as_bytes();
        let n = needle_lower.as_bytes();
        hay.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
    } else {
        hay.to_lowercase().contains(needle_lower)
    }
}

/// Byte ranges of every case-insensitive occurrence of `needle_lower` in
/// `hay` (ASCII folding only, so the ranges stay on `hay`'s boundaries).
pub fn find_all(hay: &str, needle_lower: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    if needle_lower.is_empty() || needle_lower.len() > hay.len() {
        return out;
    }
    let (h, n) = (hay.as_bytes(), needle_lower.as_bytes());
    let mut i = 0;
    while i + n.len() <= h.len() {
        if h[i..i + n.len()].eq_ignore_ascii_case(n)
            && hay.is_char_boundary(i)
            && hay.is_char_boundary(i + n.len())
        {
            out.push((i, i + n.len()));
            i += n.len();
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Row(&'static str, &'static str, &'static str);
    impl Searchable for Row {
        fn fields(&self) -> Vec<(&'static str, Cow<'_, str>)> {
            vec![
                ("severity", self.0.into()),
                ("service", self.1.into()),
                ("title", self.2.into()),
            ]
        }
    }
    const KNOWN: &[&str] = &["severity", "service", "title"];

    fn q(text: &str) -> Query {
        Query::parse(text, KNOWN, "ana").unwrap()
    }

    #[test]
    fn words_match_any_column_and_fields_only_their_own() {
        let r = Row("P1", "gateway", "5xx at the edge");
        assert!(q("gate").matches(&r));
        assert!(q("sev:p1 svc:gateway").matches(&r));
        assert!(q("5XX").matches(&r));
        assert!(!q("sev:gateway").matches(&r));
        assert!(!q("sev:p1 db").matches(&r), "every term must hold");
    }

    #[test]
    fn a_dash_or_bang_negates() {
        let r = Row("P2", "db", "replica lag");
        assert!(q("-gateway").matches(&r));
        assert!(q("!svc:gateway").matches(&r));
        assert!(!q("-svc:db").matches(&r));
        assert!(q("-").matches(&Row("P2", "a-b", "x")) || !q("-").matches(&Row("P2", "ab", "x")));
    }

    #[test]
    fn an_unknown_field_is_refused_with_the_known_ones() {
        let e = Query::parse("colour:red", KNOWN, "ana").unwrap_err();
        assert_eq!(
            e.to_string(),
            "no field 'colour' here; fields: severity, service, title"
        );
        // A colon inside a word with no key or value is a plain word.
        assert!(Query::parse("10:", KNOWN, "ana").is_ok());
    }

    #[test]
    fn me_is_the_operator() {
        struct Owned;
        impl Searchable for Owned {
            fn fields(&self) -> Vec<(&'static str, Cow<'_, str>)> {
                vec![("owner", "Ana".into())]
            }
        }
        assert!(
            Query::parse("by:me", &["owner"], "ana")
                .unwrap()
                .matches(&Owned)
        );
        assert!(
            !Query::parse("by:me", &["owner"], "bo")
                .unwrap()
                .matches(&Owned)
        );
    }

    #[test]
    fn find_all_keeps_to_char_boundaries() {
        assert_eq!(find_all("Gate gate", "gate"), vec![(0, 4), (5, 9)]);
        assert_eq!(find_all("ação gate", "gate"), vec![(7, 11)]);
        assert!(find_all("abc", "").is_empty());
    }
}
