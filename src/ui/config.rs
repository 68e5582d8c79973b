//! How the page was asked to look: the query string of the app's URL, for
//! embeds (`?embed=1&theme=dark&show=prices,cross,isolated&locked=1`), for
//! workshops (`?present=1`, `?preset=hedged-pair`). Anything unknown is
//! ignored: a parameter can only choose among these options, never inject.

/// A part of the page that an embed can show or hide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Part {
    Prices,
    /// The holding period and what holding costs.
    Holding,
    Isolated,
    Cross,
    Portfolio,
    Chart,
    Map,
    Why,
    Answers,
    Editor,
}

impl Part {
    /// Every part, in the page's order.
    pub const ALL: [Part; 10] = [
        Part::Prices,
        Part::Holding,
        Part::Isolated,
        Part::Cross,
        Part::Portfolio,
        Part::Chart,
        Part::Map,
        Part::Why,
        Part::Answers,
        Part::Editor,
    ];

    /// Its name in `show=`.
    pub fn key(self) -> &'static str {
        match self {
            Part::Prices => "prices",
            Part::Holding => "holding",
            Part::Cross => "cross",
            Part::Isolated => "isolated",
            Part::Portfolio => "portfolio",
            Part::Chart => "chart",
            Part::Map => "map",
            Part::Why => "why",
            Part::Answers => "answers",
            Part::Editor => "editor",
        }
    }

    /// Its name in the Embed maker.
    pub fn label(self) -> &'static str {
        match self {
            Part::Prices => "Price sliders",
            Part::Holding => "Holding costs",
            Part::Cross => "Cross panel",
            Part::Isolated => "Isolated panel",
            Part::Portfolio => "Portfolio panel",
            Part::Chart => "Equity chart",
            Part::Map => "Liquidation map",
            Part::Why => "Why this price",
            Part::Answers => "Quick answers",
            Part::Editor => "Portfolio editor",
        }
    }

    pub fn from_key(key: &str) -> Option<Part> {
        Part::ALL.into_iter().find(|p| p.key() == key)
    }
}

/// What an embed shows unless told otherwise: the lesson, not the tooling.
/// The portfolio panel and the holding costs are asked for by name
/// (`show=…,portfolio,holding`), so that a page embedding a two-panel lesson
/// keeps the layout it was written for.
pub const EMBED_DEFAULT: [Part; 4] = [Part::Prices, Part::Isolated, Part::Cross, Part::Chart];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    #[default]
    Auto,
    Light,
    Dark,
}

impl Theme {
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Auto => "auto",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    /// The theme a page parameter or the Embed maker names; anything else follows the system.
    pub fn from_name(name: &str) -> Theme {
        match name {
            "light" => Theme::Light,
            "dark" => Theme::Dark,
            _ => Theme::Auto,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Chrome-less, for an iframe: no header, no saving, tells the parent its height.
    pub embed: bool,
    /// The portfolio cannot be edited (prices can still be moved).
    pub locked: bool,
    pub theme: Theme,
    /// Large type, high contrast: for a projector.
    pub present: bool,
    pub preset: Option<String>,
    /// In the page's order, each once.
    shown: Vec<Part>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            embed: false,
            locked: false,
            theme: Theme::Auto,
            present: false,
            preset: None,
            shown: Part::ALL.to_vec(),
        }
    }
}

fn flag(v: &str) -> bool {
    matches!(v, "1" | "true" | "yes" | "")
}

impl Config {
    /// Reads `?a=b&c=d`; the first 2,000 characters only.
    pub fn from_query(query: &str) -> Config {
        let mut c = Config::default();
        let mut shown: Option<Vec<Part>> = None;
        let query = query.strip_prefix('?').unwrap_or(query);
        let query: String = query.chars().take(2000).collect();
        for pair in query.split('&') {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            match k {
                "embed" => c.embed = flag(v),
                "locked" => c.locked = flag(v),
                "present" => c.present = flag(v),
                "theme" => c.theme = Theme::from_name(v),
                "preset" => {
                    c.preset = crate::presets::lesson(v).map(|l| l.id.to_string());
                }
                "show" => {
                    shown = Some(
                        v.split([',', '+', ' '])
                            .filter_map(Part::from_key)
                            .collect(),
                    );
                }
                _ => {}
            }
        }
        if c.embed {
            // An embed is locked unless it says otherwise.
            c.locked = !query
                .split('&')
                .any(|p| p == "locked=0" || p == "locked=false");
            c.shown = EMBED_DEFAULT.to_vec();
        }
        if let Some(s) = shown.filter(|s| !s.is_empty()) {
            c.set_shown(&s);
        }
        c
    }

    pub fn shows(&self, part: Part) -> bool {
        self.shown.contains(&part) && !(part == Part::Editor && self.locked)
    }

    /// The query string that asks for this configuration (for the embed snippet).
    pub fn to_query(&self) -> String {
        let mut q = vec![format!("embed={}", u8::from(self.embed))];
        if self.embed {
            q.push(format!("locked={}", u8::from(self.locked)));
        }
        if self.theme != Theme::Auto {
            q.push(format!("theme={}", self.theme.as_str()));
        }
        if self.present {
            q.push("present=1".into());
        }
        let parts: Vec<&str> = self.shown.iter().map(|p| p.key()).collect();
        q.push(format!("show={}", parts.join(",")));
        q.join("&")
    }

    /// Shows these parts, in the page's order, each once.
    pub fn set_shown(&mut self, parts: &[Part]) {
        self.shown = Part::ALL
            .into_iter()
            .filter(|p| parts.contains(p))
            .collect();
    }

    pub fn shown(&self) -> &[Part] {
        &self.shown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_parameters_choose_among_known_options_only() {
        let c =
            Config::from_query("?embed=1&theme=dark&show=cross,editor,<script>&locked=0&evil=1");
        assert!(c.embed);
        assert_eq!(c.theme, Theme::Dark);
        assert!(c.shows(Part::Cross) && c.shows(Part::Editor) && !c.shows(Part::Prices));
        assert_eq!(c.shown(), [Part::Cross, Part::Editor]);
        let c = Config::from_query("?embed=1");
        assert!(
            c.locked && !c.shows(Part::Editor) && c.shows(Part::Prices) && c.shows(Part::Chart)
        );
        let c = Config::from_query("?preset=nope&theme=purple");
        assert_eq!(c.preset, None);
        assert_eq!(c.theme, Theme::Auto);
        assert!(!c.embed && c.shows(Part::Editor));
        assert_eq!(
            Config::from_query("?preset=hedged-pair").preset.as_deref(),
            Some("hedged-pair")
        );
        // What the Embed button writes reads back the same.
        let c = Config::from_query("embed=1&theme=light&show=prices,map");
        assert_eq!(Config::from_query(&c.to_query()), c);
    }

    #[test]
    fn a_part_is_shown_once_in_the_pages_order_however_it_is_asked_for() {
        let c = Config::from_query("show=map,prices,map");
        assert_eq!(c.shown(), [Part::Prices, Part::Map]);
        let c = Config::from_query("embed=1&show=portfolio,cross,isolated");
        assert_eq!(c.shown(), [Part::Isolated, Part::Cross, Part::Portfolio]);
        for part in Part::ALL {
            assert_eq!(Part::from_key(part.key()), Some(part));
        }
    }
}
