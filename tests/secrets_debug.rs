//! Secrets stay out of `Debug` output: PACE passwords (CAN, MRZ) and the chip's password set.

use dactyl::access::pace::{ChipPassword, Password};
use dactyl::lds::mrz::MrzKeyInfo;

#[test]
fn pace_passwords_are_redacted_in_debug() {
    let can = Password::can("918273").unwrap();
    let shown = format!("{can:?} {can:#?}");
    assert!(!shown.contains("918273"), "{shown}");
    assert!(shown.contains("CAN"), "{shown}");

    let info = MrzKeyInfo::new("L898902C3", "740812", "120415").unwrap();
    let mrz = Password::Mrz(info.clone());
    let shown = format!("{mrz:?}");
    assert!(
        !shown.contains("L898902C3") && !shown.contains("740812"),
        "{shown}"
    );

    let chip = ChipPassword {
        mrz: Some(info),
        can: Some("918273".into()),
    };
    let shown = format!("{chip:?}");
    assert!(!shown.contains("918273"), "{shown}");
    assert!(!shown.contains("L898902C3"), "{shown}");
    assert!(shown.contains("can"), "{shown}");
}

#[test]
fn the_readers_access_keys_are_redacted_in_debug() {
    let keys = dactyl::reader::AccessKeys {
        mrz: Some(MrzKeyInfo::new("L898902C3", "740812", "120415").unwrap()),
        can: Some(zeroize::Zeroizing::new("918273".into())),
    };
    let shown = format!("{keys:?}");
    assert!(
        !shown.contains("918273") && !shown.contains("L898902C3"),
        "{shown}"
    );
}
