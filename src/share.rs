//! A scenario and the view of it, as text that can travel: the URL fragment
//! of a share link, and the autosaved copy in the browser's storage.
//!
//! A link is untrusted input (anyone can send one), so decoding checks its
//! size before any work, bounds the inflated size (a small link must not
//! expand into gigabytes), and reads the JSON strictly. Nothing in a link is
//! ever run or shown as HTML: it becomes a `Scenario` or an error that says
//! what is wrong with it.
//!
//! Link: `#v1.` + base64url(raw DEFLATE(JSON of `Snapshot`)). The version is
//! outside the payload, so a newer link is recognised without decoding it.

use crate::engine::scenario::{limits, Num, Scenario};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

/// The link format this build writes and reads.
pub const LINK_VERSION: u32 = 1;

/// Longest fragment read, in characters. The largest scenario allowed
/// (`limits::MAX_BYTES`) compresses well below it; anything longer was
/// not made by this app.
pub const MAX_LINK_CHARS: usize = 1 << 20;

/// The saved copy's format, written inside it (storage is read back by a
/// later version of the app, perhaps).
pub const SAVE_FORMAT: &str = "marginscope-save/1";

/// What a link or a save holds: the scenario, exactly, and how it was being
/// looked at.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Snapshot {
    /// Snapshot with the page's state, not copied (a save is taken after
    /// every change).
    pub scenario: Rc<Scenario>,
    /// The position being charted and explained (index into `positions`).
    pub selected: usize,
    /// The prices the sliders are centred on; empty: the scenario's prices.
    pub reference: BTreeMap<String, Num>,
    /// The whole-market slider, in percent.
    pub market_move: Option<Num>,
}

/// Why a link or a save could not be read, in words for the person who opened it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareError {
    TooLong { chars: usize },
    NotALink,
    Newer { version: u32 },
    Damaged(&'static str),
    TooLarge,
    Scenario(String),
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShareError::TooLong { chars } => write!(
                f,
                "This link is too long ({chars} characters; a Marginscope link has at most {MAX_LINK_CHARS})."
            ),
            ShareError::NotALink => f.write_str("This link does not hold a Marginscope scenario."),
            ShareError::Newer { version } => write!(
                f,
                "This link was made by a newer Marginscope (link format v{version}); this one reads v{LINK_VERSION}."
            ),
            ShareError::Damaged(what) => write!(
                f,
                "This link is damaged ({what}): it may have been cut short when it was copied."
            ),
            ShareError::TooLarge => write!(
                f,
                "This link unpacks to more than {} bytes, the largest scenario allowed.",
                limits::MAX_BYTES
            ),
            ShareError::Scenario(m) => write!(f, "This link's scenario cannot be read: {m}"),
        }
    }
}

impl Snapshot {
    pub fn new(scenario: Scenario) -> Snapshot {
        Snapshot {
            scenario: Rc::new(scenario),
            ..Snapshot::default()
        }
    }

    /// The fragment, without the `#`.
    pub fn to_fragment(&self) -> String {
        let json = self.to_json();
        let packed = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 9);
        format!("v{LINK_VERSION}.{}", URL_SAFE_NO_PAD.encode(packed))
    }

    /// Reads a fragment, with or without its `#`.
    pub fn from_fragment(fragment: &str) -> Result<Snapshot, ShareError> {
        let text = fragment.strip_prefix('#').unwrap_or(fragment);
        let chars = text.chars().count();
        if chars > MAX_LINK_CHARS {
            return Err(ShareError::TooLong { chars });
        }
        let (version, payload) = text
            .strip_prefix('v')
            .and_then(|t| t.split_once('.'))
            .ok_or(ShareError::NotALink)?;
        let version: u32 = version.parse().map_err(|_| ShareError::NotALink)?;
        if version > LINK_VERSION {
            return Err(ShareError::Newer { version });
        }
        if version < 1 {
            return Err(ShareError::NotALink);
        }
        let packed = URL_SAFE_NO_PAD
            .decode(payload.trim_end_matches('='))
            .map_err(|_| ShareError::Damaged("its text is not the link alphabet"))?;
        let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, limits::MAX_BYTES)
            .map_err(|e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => ShareError::TooLarge,
            _ => ShareError::Damaged("its data does not unpack"),
        })?;
        let json = String::from_utf8(json).map_err(|_| ShareError::Damaged("not text inside"))?;
        Snapshot::from_json(&json).map_err(ShareError::Scenario)
    }

    /// JSON: the saved copy's form, and the link's before packing.
    pub fn to_json(&self) -> String {
        // Plain data with string keys: serializing cannot fail.
        serde_json::to_string(&Saved {
            format: SAVE_FORMAT,
            scenario: &self.scenario,
            selected: self.selected,
            reference: &self.reference,
            market_move: self.market_move,
        })
        .unwrap_or_default()
    }

    /// Reads the JSON form strictly; the scenario inside is read by the
    /// engine's own reader, so its messages and limits are the same as for a file.
    pub fn from_json(json: &str) -> Result<Snapshot, String> {
        if json.len() > limits::MAX_BYTES {
            return Err(format!(
                "more than {} bytes, the largest scenario allowed",
                limits::MAX_BYTES
            ));
        }
        let raw: RawSaved = serde_json::from_str(json).map_err(|e| e.to_string())?;
        if raw.format != SAVE_FORMAT {
            return Err(format!(
                "its format is \"{}\"; this version reads \"{SAVE_FORMAT}\"",
                raw.format
            ));
        }
        let scenario = Scenario::from_json(raw.scenario.get()).map_err(|e| e.to_string())?;
        Ok(Snapshot {
            scenario: Rc::new(scenario),
            selected: raw.selected,
            reference: raw.reference,
            market_move: raw.market_move,
        })
    }
}

/// The saved form: `Snapshot` with its format named first.
#[derive(Serialize)]
struct Saved<'a> {
    format: &'a str,
    scenario: &'a Scenario,
    selected: usize,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    reference: &'a BTreeMap<String, Num>,
    #[serde(skip_serializing_if = "Option::is_none")]
    market_move: Option<Num>,
}

/// As `Saved`, with the scenario left as text for the engine's reader.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSaved {
    format: String,
    scenario: Box<serde_json::value::RawValue>,
    #[serde(default)]
    selected: usize,
    #[serde(default)]
    reference: BTreeMap<String, Num>,
    #[serde(default)]
    market_move: Option<Num>,
}
