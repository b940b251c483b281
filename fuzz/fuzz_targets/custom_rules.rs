#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = portreg_fuzz::custom_rules(data);
});
