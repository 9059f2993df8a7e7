//! Fuzz target: any bytes as a scenario file. Parsing and validation must never panic, and
//! must end in a scenario or in input errors (exit code 2), never in anything else.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;
use toeslagenlab::scenario::parse_str;
use toeslagenlab::Error;

fuzz_target!(|data: &[u8]| {
    // Non-UTF-8 files are rejected before parsing (see `scenario::load`).
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match parse_str(Path::new("fuzz.toml"), text, String::new()) {
        Ok(_) => {}
        Err(Error::Input(d)) => {
            assert!(!d.is_empty(), "an input error without a message");
            for x in &d {
                assert!(!x.message.trim().is_empty(), "empty message: {x:?}");
            }
        }
        Err(e) => panic!("not an input error: {e}"),
    }
});
