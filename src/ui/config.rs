//! How the page was asked to look: the query string of the app's URL, for
//! embeds (`?embed=1&theme=dark&show=prices,cross,isolated&locked=1`), for
//! workshops (`?present=1`, `?preset=hedged-pair`). Anything unknown is
//! ignored: a parameter can only choose among these options, never inject.

/// The parts of the page an embed can show or hide.
pub const PARTS: &[(&str, &str)] = &[
    ("prices", "Price sliders"),
    ("cross", "Cross panel"),
    ("isolated", "Isolated panel"),
    ("chart", "Equity chart"),
    ("map", "Liquidation map"),
    ("why", "Why this price"),
    ("answers", "Quick answers"),
    ("editor", "Portfolio editor"),
];

/// What an embed shows unless told otherwise: the lesson, not the tooling.
pub const EMBED_DEFAULT: &[&str] = &["prices", "cross", "isolated", "chart"];

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
    shown: Vec<&'static str>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            embed: false,
            locked: false,
            theme: Theme::Auto,
            present: false,
            preset: None,
            shown: PARTS.iter().map(|(p, _)| *p).collect(),
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
        let mut shown: Option<Vec<&'static str>> = None;
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
                            .filter_map(|p| PARTS.iter().find(|(q, _)| *q == p).map(|(q, _)| *q))
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
            c.shown = s;
        }
        c
    }

    pub fn shows(&self, part: &str) -> bool {
        self.shown.contains(&part) && !(part == "editor" && self.locked)
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
        q.push(format!("show={}", self.shown.join(",")));
        q.join("&")
    }

    pub fn set_shown(&mut self, parts: &[&str]) {
        self.shown = PARTS
            .iter()
            .map(|(p, _)| *p)
            .filter(|p| parts.contains(p))
            .collect();
    }

    pub fn shown(&self) -> &[&'static str] {
        &self.shown
    }
}
