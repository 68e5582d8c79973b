#![no_main]
//! See `marginscope::fuzz_targets::import_account` for what is checked.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| marginscope::fuzz_targets::import_account(data));
