//! Labels in the operator's language: `locale = "pt-BR"` in shiftdeck.toml
//! (or `LANG=pt_BR.UTF-8`) picks `data/locales/pt-BR.toml`; English is the
//! fallback for a key a locale lacks. The files are built in: a locale is
//! chosen, never installed.

use std::collections::HashMap;

const EN: &str = include_str!("../../data/locales/en.toml");

/// The locales built in: (name, file).
pub const LOCALES: &[(&str, &str)] = &[
    ("en", EN),
    ("pt-BR", include_str!("../../data/locales/pt-BR.toml")),
];

/// One locale's labels over English's.
#[derive(Debug, Clone)]
pub struct Strings {
    pub locale: &'static str,
    own: HashMap<String, String>,
    english: HashMap<String, String>,
}

impl Default for Strings {
    fn default() -> Self {
        Strings::for_locale("en")
    }
}

/// `section.key = "text"` of a locale file, flat.
pub fn parse(text: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    if let Ok(t) = toml::from_str::<toml::Table>(text) {
        for (section, v) in t {
            if let toml::Value::Table(keys) = v {
                for (k, v) in keys {
                    if let Some(s) = v.as_str() {
                        out.insert(format!("{section}.{k}"), s.to_string());
                    }
                }
            }
        }
    }
    out
}

/// The built-in locale a name asks for: `pt-BR`, `pt_BR.UTF-8`, `pt`.
pub fn find(name: &str) -> Option<&'static str> {
    let base = name
        .split(['.', '@'])
        .next()
        .unwrap_or("")
        .replace('_', "-");
    LOCALES
        .iter()
        .map(|(n, _)| *n)
        .find(|n| n.eq_ignore_ascii_case(&base))
        .or_else(|| {
            let lang = base.split('-').next().unwrap_or("");
            LOCALES.iter().map(|(n, _)| *n).find(|n| {
                n.split('-')
                    .next()
                    .is_some_and(|l| l.eq_ignore_ascii_case(lang))
            })
        })
}

impl Strings {
    pub fn for_locale(name: &str) -> Strings {
        let locale = find(name).unwrap_or("en");
        let file = LOCALES
            .iter()
            .find(|(n, _)| *n == locale)
            .map(|(_, f)| *f)
            .unwrap_or(EN);
        Strings {
            locale,
            own: parse(file),
            english: parse(EN),
        }
    }

    /// The label of `section.key`, in the locale, else English, else the
    /// English text the caller gives.
    pub fn get<'a>(&'a self, section: &str, key: &'a str) -> &'a str {
        let full = format!("{section}.{key}");
        self.own
            .get(&full)
            .or_else(|| self.english.get(&full))
            .map(String::as_str)
            .unwrap_or(key)
    }

    pub fn is_english(&self) -> bool {
        self.locale == "en"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_locale_has_every_english_key_and_no_other() {
        let en = parse(EN);
        assert!(en.len() > 80, "{}", en.len());
        for (name, file) in LOCALES {
            let own = parse(file);
            let mut missing: Vec<&String> = en.keys().filter(|k| !own.contains_key(*k)).collect();
            missing.sort();
            assert!(missing.is_empty(), "{name} lacks {missing:?}");
            let extra: Vec<&String> = own.keys().filter(|k| !en.contains_key(*k)).collect();
            assert!(
                extra.is_empty(),
                "{name} has keys English has not: {extra:?}"
            );
            assert!(
                own.values().all(|v| !v.trim().is_empty()),
                "{name}: an empty label"
            );
        }
    }

    #[test]
    fn a_locale_is_found_by_its_names_and_falls_back_to_english() {
        assert_eq!(find("pt-BR"), Some("pt-BR"));
        assert_eq!(find("pt_BR.UTF-8"), Some("pt-BR"));
        assert_eq!(find("pt"), Some("pt-BR"));
        assert_eq!(find("de_DE.UTF-8"), None);
        let pt = Strings::for_locale("pt_BR.UTF-8");
        assert_eq!(pt.get("pane", "incidents"), "Incidentes");
        assert_eq!(pt.get("hint", "no such label"), "no such label");
        assert_eq!(
            Strings::for_locale("C.UTF-8").get("pane", "health"),
            "Health"
        );
    }
}
