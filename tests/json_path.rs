//! The field an error names, found by scanning the text after it fails
//! (`engine::json_path`), against serde_path_to_error, which tracks the path
//! while reading: the same path for every way a scenario can be malformed.
#![cfg(not(target_arch = "wasm32"))]

use marginscope::engine::{sample, Scenario};
use marginscope::presets;
use proptest::prelude::*;
use serde_json::{json, Value};

fn bases() -> Vec<Value> {
    let mut hedged = sample::portfolio(4);
    hedged.hedge_mode = true;
    let mut out = vec![
        serde_json::to_value(presets::opening()).expect("json"),
        serde_json::to_value(sample::portfolio(3)).expect("json"),
        serde_json::to_value(hedged).expect("json"),
    ];
    out.extend(
        presets::LESSONS
            .iter()
            .map(|l| serde_json::to_value(l.scenario()).expect("json")),
    );
    out
}

/// Every node's place, as JSON pointer tokens.
fn nodes(v: &Value, at: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(at.clone());
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                at.push(k.clone());
                nodes(child, at, out);
                at.pop();
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                at.push(i.to_string());
                nodes(child, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

fn node<'a>(v: &'a mut Value, at: &[String]) -> &'a mut Value {
    at.iter().fold(v, |v, k| match v {
        Value::Object(m) => m.get_mut(k).expect("key"),
        Value::Array(a) => &mut a[k.parse::<usize>().expect("index")],
        _ => unreachable!("a leaf has no children"),
    })
}

fn replacements() -> Vec<Value> {
    vec![
        json!("x"),
        json!("1,5"),
        json!(true),
        json!(null),
        json!([]),
        json!([1, "a"]),
        json!({}),
        json!({ "a": 1 }),
        json!(-1.5),
        json!(7),
        json!("long"),
        json!("isolated"),
    ]
}

/// Odd keys: the path must name them as they were meant, escapes read.
const KEYS: &[&str] = &["colour", "a\"b", "tab\there", "é✓", "back\\slash", "x.y[0]"];

/// The path serde_path_to_error gives, `Ok` when the text reads.
fn reference(text: &str) -> Result<(), String> {
    let mut de = serde_json::Deserializer::from_str(text);
    match serde_path_to_error::deserialize::<_, Scenario>(&mut de) {
        Ok(_) => Ok(()),
        Err(e) => {
            let p = e.path().to_string();
            Err(if p == "." { String::new() } else { p })
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    #[test]
    fn every_malformed_scenario_names_the_field_serde_path_to_error_names(
        base in 0usize..9,
        pick in any::<u64>(),
        how in 0u8..4,
        with in any::<usize>(),
        pretty in any::<bool>(),
    ) {
        let bases = bases();
        let mut v = bases[base % bases.len()].clone();
        let mut all = Vec::new();
        nodes(&v, &mut Vec::new(), &mut all);
        let at = &all[(pick as usize) % all.len()];
        let target = node(&mut v, at);
        match (how, target) {
            // Replace a value (a container, a field, an element).
            (0, target) => {
                let r = replacements();
                *target = r[with % r.len()].clone();
            }
            // Remove a field.
            (1, Value::Object(m)) if !m.is_empty() => {
                let key = m.keys().nth(with % m.len()).cloned().expect("a key");
                m.remove(&key);
            }
            // Add a field, or rename one (a map's key: a price, a market).
            (2, Value::Object(m)) => {
                m.insert(KEYS[with % KEYS.len()].to_string(), json!("1"));
            }
            (3, Value::Object(m)) if !m.is_empty() => {
                let key = m.keys().nth(with % m.len()).cloned().expect("a key");
                let value = m.remove(&key).expect("value");
                m.insert(KEYS[with % KEYS.len()].to_string(), value);
            }
            _ => return Ok(()),
        }
        let text = if pretty {
            serde_json::to_string_pretty(&v).expect("text")
        } else {
            serde_json::to_string(&v).expect("text")
        };
        match (reference(&text), Scenario::from_json(&text)) {
            (Ok(()), Ok(_)) => {}
            (Err(path), Err(e)) => prop_assert_eq!(e.path, path, "{}", e.message),
            (r, e) => prop_assert!(false, "reference {:?}, engine {:?}", r, e.map(|_| ())),
        }
    }
}
