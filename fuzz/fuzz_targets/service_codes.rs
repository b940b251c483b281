#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = portreg_fuzz::service_codes(data);
});
