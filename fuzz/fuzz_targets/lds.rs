//! LDS parsers: DG1, EF.COM, EF.CVCA and the MRZ (on the input read as lossy UTF-8). Whatever parses must
//! encode and parse back to the same value.
#![no_main]

use dactyl::lds::com::Com;
use dactyl::lds::dg1::Dg1;
use dactyl::lds::mrz::Mrz;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(dg1) = Dg1::parse(data) {
        let again = Dg1::parse(&Dg1::encode(&dg1.mrz)).expect("re-parse DG1");
        assert_eq!(again, dg1);
    }
    if let Ok(com) = Com::parse(data) {
        assert_eq!(Com::parse(&com.encode()).expect("re-parse EF.COM"), com);
        let _ = (
            com.data_groups(),
            com.lds_version_display(),
            com.unicode_version_display(),
        );
    }
    if let Ok(cars) = dactyl::access::ta::parse_ef_cvca(data) {
        assert!(cars.iter().all(|c| c.len() < data.len()));
    }
    let text = String::from_utf8_lossy(data);
    if let Ok(mrz) = Mrz::parse(&text) {
        assert_eq!(Mrz::parse(&mrz.to_text()).expect("re-parse MRZ"), mrz);
        if let Ok(key) = mrz.key_info() {
            let _ = key.key_seed_string();
        }
    }
    let _ = Mrz::parse_verified(&text);
});
