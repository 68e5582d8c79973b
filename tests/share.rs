//! Share links and saved copies: what a bad one says, and that it is refused
//! before any expensive work. (The round trip is a property in properties.rs.)
#![cfg(not(target_arch = "wasm32"))]

use marginscope::engine::Scenario;
use marginscope::share::{ShareError, Snapshot, MAX_LINK_CHARS};

fn sample() -> Snapshot {
    let mut s = Snapshot::new(marginscope::engine::sample::portfolio(12));
    s.selected = 3;
    s
}

#[test]
fn a_link_is_compact() {
    let shared = sample();
    let fragment = shared.to_fragment();
    let json = shared.to_json();
    assert!(
        fragment.len() * 2 < json.len(),
        "{} chars for {} bytes of JSON",
        fragment.len(),
        json.len()
    );
}

#[test]
fn garbage_is_not_a_link() {
    for text in [
        "",
        "#",
        "#hello",
        "#v",
        "#v1",
        "#vx.abc",
        "#v-1.abc",
        "#v0.abc",
        "#%3Cscript%3E",
    ] {
        assert_eq!(
            Snapshot::from_fragment(text),
            Err(ShareError::NotALink),
            "{text}"
        );
    }
}

#[test]
fn a_newer_link_says_so() {
    let fragment = sample().to_fragment().replacen("v1.", "v7.", 1);
    let err = Snapshot::from_fragment(&fragment).unwrap_err();
    assert_eq!(err, ShareError::Newer { version: 7 });
    assert_eq!(
        err.to_string(),
        "This link was made by a newer Marginscope (link format v7); this one reads v1."
    );
}

#[test]
fn a_truncated_link_is_damaged() {
    let fragment = sample().to_fragment();
    for cut in [fragment.len() / 2, fragment.len() - 3, 8] {
        let err = Snapshot::from_fragment(&fragment[..cut]).unwrap_err();
        assert!(
            matches!(err, ShareError::Damaged(_)),
            "cut at {cut}: {err:?}"
        );
        assert!(err.to_string().contains("cut short"), "{err}");
    }
}

#[test]
fn characters_outside_the_link_alphabet_are_damage() {
    let err = Snapshot::from_fragment("#v1.<img src=x onerror=alert(1)>").unwrap_err();
    assert!(matches!(err, ShareError::Damaged(_)), "{err:?}");
}

#[test]
fn a_huge_link_is_refused_by_its_length_first() {
    let huge = format!("#v1.{}", "A".repeat(MAX_LINK_CHARS + 1));
    let err = Snapshot::from_fragment(&huge).unwrap_err();
    assert_eq!(
        err,
        ShareError::TooLong {
            chars: MAX_LINK_CHARS + 4
        }
    );
    assert!(err.to_string().contains("too long"));
}

#[test]
fn a_small_link_that_unpacks_to_too_much_is_refused() {
    // 64 MiB of spaces packs into a few kilobytes: the unpacking stops at the limit.
    let bomb = miniz_oxide::deflate::compress_to_vec(&vec![b' '; 64 << 20], 9);
    use base64::Engine as _;
    let fragment = format!(
        "v1.{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bomb)
    );
    assert!(fragment.len() < 200_000);
    assert_eq!(
        Snapshot::from_fragment(&fragment),
        Err(ShareError::TooLarge)
    );
}

#[test]
fn a_link_to_a_bad_scenario_names_the_field() {
    let json = r#"{"format":"marginscope-save/1","scenario":{"format":"marginscope/1","quote":"USD","wallet":{"USD":"1"},"prices":{},"markets":{},"positions":[],"script":"x"}}"#;
    let err = Snapshot::from_json(json).unwrap_err();
    assert!(err.contains("script"), "{err}");
    let wrong_format = json.replace("marginscope-save/1", "other/2");
    assert!(Snapshot::from_json(&wrong_format)
        .unwrap_err()
        .contains("\"other/2\""));
    let unknown = json.replace(
        r#""format":"marginscope-save/1","#,
        r#""format":"marginscope-save/1","extra":1,"#,
    );
    assert!(Snapshot::from_json(&unknown).unwrap_err().contains("extra"));
}

#[test]
fn numbers_survive_every_digit() {
    let text = r#"{"format":"marginscope/1","quote":"USD","wallet":{"USD":"12345678901234567890.12345678"},
      "prices":{"X":"0.0000000000000000000000000001"},"markets":{},"positions":[]}"#;
    let shared = Snapshot::new(Scenario::from_json(text).expect("scenario"));
    assert_eq!(Snapshot::from_fragment(&shared.to_fragment()), Ok(shared));
}
