//! BSI TR-03105 Part 3.2 v1.5.1 against dactyl's virtual chip: unit ISO7816_H (security
//! conditions for EAC-protected MRTDs), unit ISO7816_K (Terminal Authentication) and unit
//! ISO7816_L (effective access conditions). Every case that needs "Open ePassport Application"
//! runs twice, after BAC (ID_PICC = document number) and after PACE with the MRZ (ID_PICC =
//! Comp of the chip's ephemeral PACE key), each followed by Chip Authentication (MSE:Set AT +
//! GENERAL AUTHENTICATE). Status words are asserted as the plan states them; where it allows
//! alternatives ("ISO checking error or '63 00'") the set is asserted.
//!
//! Not reproducible here:
//! - ISO7816_K_3, K_8, K_9, K_11, K_13, K_16: deleted from the plan.
//! - Nothing else: the contactless layer only carries the APDUs, which go to the emulator
//!   directly; the "field off and on" of ISO7816_K_18 is the emulator's reset.

#[path = "common/cv_sets.rs"]
mod cv_sets;

use cv_sets::*;
use dactyl::apdu::{Command, sw};
use dactyl::lds::files::EfId;
use dactyl::transport::CardSide;

/// A chip trusting a fresh CVCA, opened with `open` and chip-authenticated; certificate set 1.
fn setup(open: Open, dg4: bool) -> (Terminal, Holder, Holder, Holder) {
    let cvca = cvca();
    let (dv1, is1) = set1(&cvca);
    let t = Terminal::new(chip(&[&cvca.cert], CVCA_EFF, dg4), open);
    (t, cvca, dv1, is1)
}

fn read_binary_odd(p1: u8, p2: u8, le: usize) -> Command {
    Command::new(0x00, 0xB1, p1, p2)
        .with_data(vec![0x54, 0x01, 0x00])
        .with_le(le)
}

fn select_ef(fid: u16) -> Command {
    Command::new(0x00, 0xA4, 0x02, 0x0C).with_data(fid.to_be_bytes().to_vec())
}

// ---- ISO7816_H: security conditions -------------------------------------------------------

/// ISO7816_H_1 to H_6, H_11, H_12: DG3 and DG4 refused after Open ePassport Application and
/// Chip Authentication, before Terminal Authentication: SELECT (9000 or an error) then READ
/// BINARY, READ BINARY by SFI, odd READ BINARY by SFI and by FID.
#[test]
fn iso7816_h_1_to_6_11_12_biometrics_refused_before_ta() {
    type Steps = fn(&mut Terminal) -> Vec<(u16, bool)>;
    fn select_then_read(t: &mut Terminal, fid: u16) -> Vec<(u16, bool)> {
        let s = t.sm(&select_ef(fid)).sw;
        if s != sw::OK {
            assert!(checking_error(s), "SELECT {fid:04X}: {s:04X}");
            return vec![];
        }
        let r = t.sm(&Command::new(0x00, 0xB0, 0x00, 0x00).with_le(1));
        vec![(r.sw, r.data.is_empty())]
    }
    let cases: [(&str, Steps); 8] = [
        ("ISO7816_H_1", |t| select_then_read(t, 0x0103)),
        ("ISO7816_H_2", |t| select_then_read(t, 0x0104)),
        ("ISO7816_H_3", |t| {
            let r = t.read_sfi(3);
            vec![(r.sw, r.data.is_empty())]
        }),
        ("ISO7816_H_4", |t| {
            let r = t.read_sfi(4);
            vec![(r.sw, r.data.is_empty())]
        }),
        ("ISO7816_H_5", |t| {
            let r = t.sm(&read_binary_odd(0x00, 0x03, 7));
            vec![(r.sw, r.data.is_empty())]
        }),
        ("ISO7816_H_6", |t| {
            let r = t.sm(&read_binary_odd(0x00, 0x04, 7));
            vec![(r.sw, r.data.is_empty())]
        }),
        ("ISO7816_H_11", |t| {
            let r = t.sm(&read_binary_odd(0x01, 0x03, 7));
            vec![(r.sw, r.data.is_empty())]
        }),
        ("ISO7816_H_12", |t| {
            let r = t.sm(&read_binary_odd(0x01, 0x04, 7));
            vec![(r.sw, r.data.is_empty())]
        }),
    ];
    for open in BOTH {
        let (mut t, ..) = setup(open, true);
        for (id, steps) in cases {
            for (status, empty) in steps(&mut t) {
                assert!(
                    checking_error(status) && empty,
                    "{id} ({open:?}): {status:04X}"
                );
            }
        }
    }
}

/// ISO7816_H_7 to H_10: without Open ePassport Application, EF.CVCA is refused in plain:
/// SELECT by FID then READ BINARY, READ BINARY by SFI, odd READ BINARY by SFI and by FID.
#[test]
fn iso7816_h_7_to_10_ef_cvca_refused_without_secure_messaging() {
    let cvca = cvca();
    let mut c = chip(&[&cvca.cert], CVCA_EFF, false);
    c.reset();
    let mut plain =
        |cmd: Command| dactyl::apdu::Response::parse(&c.process(&cmd.to_bytes().unwrap())).unwrap();
    let select_app = Command::new(0x00, 0xA4, 0x04, 0x0C)
        .with_data(vec![0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01]);
    let reads: [(&str, Option<Command>, Command); 4] = [
        (
            "ISO7816_H_7",
            Some(select_ef(0x011C)),
            Command::new(0x00, 0xB0, 0x00, 0x00).with_le(1),
        ),
        (
            "ISO7816_H_8",
            None,
            Command::new(0x00, 0xB0, 0x9C, 0x00).with_le(1),
        ),
        ("ISO7816_H_9", None, read_binary_odd(0x00, 0x1C, 7)),
        ("ISO7816_H_10", None, read_binary_odd(0x01, 0x1C, 7)),
    ];
    for (id, select, read) in reads {
        let app = plain(select_app.clone());
        assert_eq!(app.sw, sw::OK, "{id}: SELECT application");
        if let Some(select) = select {
            let s = plain(select).sw;
            assert!(s == sw::OK || checking_error(s), "{id}: SELECT {s:04X}");
            if s != sw::OK {
                continue;
            }
        }
        let r = plain(read);
        assert!(
            checking_error(r.sw) && r.data.is_empty(),
            "{id}: READ BINARY answered {:04X} with {} bytes",
            r.sw,
            r.data.len()
        );
    }
}

/// ISO7816_H_13 to H_16: EF.CVCA (36 bytes) readable after Open ePassport Application: SELECT
/// + READ BINARY, READ BINARY by SFI, odd READ BINARY by SFI and by FID (DO 53 of 38 bytes).
#[test]
fn iso7816_h_13_to_16_ef_cvca_readable_after_opening() {
    for open in BOTH {
        let (mut t, cvca, ..) = setup(open, false);
        let expected = t.chip.0.borrow().files().get(EfId::Cvca).unwrap().to_vec();
        assert_eq!(ef_cvca_cars(&expected), [CVCA_CHR]);
        // ISO7816_H_13
        assert_eq!(t.ef_cvca(), expected, "ISO7816_H_13 ({open:?})");
        // ISO7816_H_14
        let r = t.sm(&Command::new(0x00, 0xB0, 0x9C, 0x00).with_le(0x24));
        assert_eq!(
            (r.sw, &r.data),
            (sw::OK, &expected),
            "ISO7816_H_14 ({open:?})"
        );
        let do53 = [vec![0x53, 0x24], expected.clone()].concat();
        for (id, p1, p2) in [("ISO7816_H_15", 0x00, 0x1C), ("ISO7816_H_16", 0x01, 0x1C)] {
            let r = t.sm(&read_binary_odd(p1, p2, 0x26));
            assert_eq!((r.sw, &r.data), (sw::OK, &do53), "{id} ({open:?})");
        }
        assert_eq!(cvca.chr(), CVCA_CHR);
    }
}

// ---- ISO7816_K: Terminal Authentication ---------------------------------------------------

/// Steps 1 to 5 of most K cases: the set 1 chain and MSE:Set AT with IS_CERT_1's CHR.
fn chain_and_set_at(t: &mut Terminal, dv1: &Holder, is1: &Holder) {
    t.chain(&[&dv1.cert, &is1.cert]);
    assert_eq!(t.set_at(is1.chr()), sw::OK, "MSE:Set AT");
}

fn k_1(open: Open) {
    let (mut t, _, dv1, is1) = setup(open, false);
    chain_and_set_at(&mut t, &dv1, &is1);
    let challenge = t.challenge();
    let sig = t.signature(&is1.key, &challenge);
    assert_eq!(t.external_authenticate(sig), sw::OK, "{open:?}");
    assert_eq!(t.read_sfi(3).sw, sw::OK, "DG3 after TA ({open:?})");
}

/// ISO7816_K_1a: the positive Terminal Authentication after BAC (document number binding).
#[test]
fn iso7816_k_1a_terminal_authentication_after_bac() {
    k_1(Open::Bac);
}

/// ISO7816_K_1b: the positive Terminal Authentication after PACE (dynamic binding).
#[test]
fn iso7816_k_1b_terminal_authentication_after_pace() {
    k_1(Open::Pace);
}

/// ISO7816_K_2: MSE:Set AT with a CHR whose last character is changed.
#[test]
fn iso7816_k_2_set_at_with_an_unknown_chr() {
    for open in BOTH {
        let (mut t, _, dv1, is1) = setup(open, false);
        t.chain(&[&dv1.cert, &is1.cert]);
        let bad = format!("{}2", &is1.chr()[..is1.chr().len() - 1]);
        let s = t.set_at(&bad);
        assert!(s == sw::OK || checking_error(s), "{open:?}: {s:04X}");
        let ch = t.get_challenge_le(8);
        assert!(ch.sw == sw::OK || checking_error(ch.sw), "{open:?}");
        let sig = t.signature(&is1.key, &ch.data);
        let s = t.external_authenticate(sig);
        assert!(refused(s), "ISO7816_K_2 ({open:?}): {s:04X}");
    }
}

/// ISO7816_K_4: EXTERNAL AUTHENTICATE in plain: a plain ISO checking error.
#[test]
fn iso7816_k_4_external_authenticate_without_secure_messaging() {
    for open in BOTH {
        let (mut t, _, dv1, is1) = setup(open, false);
        chain_and_set_at(&mut t, &dv1, &is1);
        let challenge = t.challenge();
        let sig = t.signature(&is1.key, &challenge);
        let r = t.plain(&Command::new(0x00, 0x82, 0x00, 0x00).with_data(sig));
        assert!(
            checking_error(r.sw) && r.data.is_empty(),
            "ISO7816_K_4 ({open:?}): {:04X}",
            r.sw
        );
    }
}

/// ISO7816_K_5: a DV key cannot authenticate as terminal (its CHAT's rights are ignored).
#[test]
fn iso7816_k_5_dv_key_is_no_terminal() {
    for open in BOTH {
        let (mut t, _, dv1, _) = setup(open, false);
        t.chain(&[&dv1.cert]);
        let s = t.set_at(dv1.chr());
        assert!(s == sw::OK || checking_error(s), "{open:?}: {s:04X}");
        let ch = t.get_challenge_le(8);
        assert!(ch.sw == sw::OK || checking_error(ch.sw), "{open:?}");
        let sig = t.signature(&dv1.key, &ch.data);
        let s = t.external_authenticate(sig);
        assert!(refused(s), "ISO7816_K_5 ({open:?}): {s:04X}");
        assert!(checking_error(t.read_sfi(3).sw), "{open:?}: DG3");
    }
}

/// ISO7816_K_6: the CVCA key cannot authenticate as terminal.
#[test]
fn iso7816_k_6_cvca_key_is_no_terminal() {
    for open in BOTH {
        let (mut t, cvca, ..) = setup(open, false);
        let s = t.set_at(cvca.chr());
        assert!(s == sw::OK || checking_error(s), "{open:?}: {s:04X}");
        let ch = t.get_challenge_le(8);
        assert!(ch.sw == sw::OK || checking_error(ch.sw), "{open:?}");
        let sig = t.signature(&cvca.key, &ch.data);
        let s = t.external_authenticate(sig);
        assert!(refused(s), "ISO7816_K_6 ({open:?}): {s:04X}");
        assert!(checking_error(t.read_sfi(3).sw), "{open:?}: DG3");
    }
}

/// ISO7816_K_7: EXTERNAL AUTHENTICATE with CLA 8C: an ISO checking error; when it came under
/// secure messaging, the session still works.
#[test]
fn iso7816_k_7_external_authenticate_with_an_invalid_class() {
    for open in BOTH {
        let (mut t, _, dv1, is1) = setup(open, false);
        chain_and_set_at(&mut t, &dv1, &is1);
        let challenge = t.challenge();
        let sig = t.signature(&is1.key, &challenge);
        let mut cmd = Command::new(0x80, 0x82, 0x00, 0x00).with_data(sig);
        cmd.le = None;
        let r = t.session.transmit(&cmd).unwrap();
        assert!(checking_error(r.sw), "ISO7816_K_7 ({open:?}): {:04X}", r.sw);
        if !t.session.last_answer_unprotected() {
            assert_eq!(t.sm(&select_ef(0x011E)).sw, sw::OK, "ISO7816_K_7 step 8");
        }
    }
}

/// ISO7816_K_10: two GET CHALLENGEs, the signature over the first: refused.
#[test]
fn iso7816_k_10_signature_over_the_first_of_two_challenges() {
    for open in BOTH {
        let (mut t, _, dv1, is1) = setup(open, false);
        chain_and_set_at(&mut t, &dv1, &is1);
        let first = t.challenge();
        let second = t.get_challenge_le(8);
        assert!(second.sw == sw::OK || checking_error(second.sw));
        if second.sw == sw::OK {
            assert_eq!(second.data.len(), 8);
            let sig = t.signature(&is1.key, &first);
            let s = t.external_authenticate(sig);
            assert!(refused(s), "ISO7816_K_10 ({open:?}): {s:04X}");
        }
    }
}

/// ISO7816_K_12: GET CHALLENGE for seven bytes: seven bytes or an error; a signature over a
/// short challenge is refused.
#[test]
fn iso7816_k_12_short_challenge() {
    for open in BOTH {
        let (mut t, _, dv1, is1) = setup(open, false);
        chain_and_set_at(&mut t, &dv1, &is1);
        let r = t.get_challenge_le(7);
        assert!(
            (r.sw == sw::OK && r.data.len() == 7) || checking_error(r.sw),
            "ISO7816_K_12 ({open:?}): {:04X}",
            r.sw
        );
        if r.sw == sw::OK {
            let sig = t.signature(&is1.key, &r.data);
            assert!(refused(t.external_authenticate(sig)), "{open:?}");
        }
    }
}

/// ISO7816_K_14: EXTERNAL AUTHENTICATE without GET CHALLENGE (signature without challenge):
/// refused, DG3 stays closed.
#[test]
fn iso7816_k_14_no_get_challenge() {
    for open in BOTH {
        let (mut t, _, dv1, is1) = setup(open, false);
        chain_and_set_at(&mut t, &dv1, &is1);
        let sig = t.signature(&is1.key, &[]);
        let s = t.external_authenticate(sig);
        assert!(refused(s), "ISO7816_K_14 ({open:?}): {s:04X}");
        assert!(
            checking_error(t.read_sfi(3).sw),
            "ISO7816_K_14 ({open:?}): DG3"
        );
    }
}

/// ISO7816_K_15: no MSE:Set AT: EXTERNAL AUTHENTICATE refused, DG3 stays closed.
#[test]
fn iso7816_k_15_no_key_selection() {
    for open in BOTH {
        let (mut t, _, dv1, is1) = setup(open, false);
        t.chain(&[&dv1.cert, &is1.cert]);
        let ch = t.get_challenge_le(8);
        assert!(ch.sw == sw::OK || checking_error(ch.sw));
        if ch.sw == sw::OK {
            let sig = t.signature(&is1.key, &ch.data);
            let s = t.external_authenticate(sig);
            assert!(refused(s), "ISO7816_K_15 ({open:?}): {s:04X}");
            assert!(
                checking_error(t.read_sfi(3).sw),
                "ISO7816_K_15 ({open:?}): DG3"
            );
        }
    }
}

/// ISO7816_K_17: MSE:Set AT with the CHR in data object 84 instead of 83: an error; the
/// authentication that follows fails and DG3 stays closed.
#[test]
fn iso7816_k_17_set_at_with_a_wrong_structure() {
    for open in BOTH {
        let (mut t, _, dv1, is1) = setup(open, false);
        t.chain(&[&dv1.cert, &is1.cert]);
        let s = t.sm(&mse(0xA4, 0x84, is1.chr())).sw;
        assert!(checking_error(s), "ISO7816_K_17 ({open:?}) step 5: {s:04X}");
        let ch = t.get_challenge_le(8);
        assert!(ch.sw == sw::OK || checking_error(ch.sw));
        if ch.sw == sw::OK {
            let sig = t.signature(&is1.key, &ch.data);
            assert!(refused(t.external_authenticate(sig)), "{open:?}");
            assert!(
                checking_error(t.read_sfi(3).sw),
                "ISO7816_K_17 ({open:?}): DG3"
            );
        }
    }
}

/// ISO7816_K_18: after a reset and a new Open ePassport Application (no Chip Authentication),
/// the rights of the earlier Terminal Authentication are gone.
#[test]
fn iso7816_k_18_reset_ends_the_rights() {
    for open in BOTH {
        let (mut t, _, dv1, is1) = setup(open, false);
        assert_eq!(
            t.terminal_authentication(&[&dv1.cert, &is1.cert], &is1.key),
            sw::OK
        );
        t.power_cycle(false);
        let r = t.read_sfi(3);
        assert!(
            checking_error(r.sw),
            "ISO7816_K_18 ({open:?}): {:04X}",
            r.sw
        );
    }
}

/// ISO7816_K_19: Passive Authentication (EF.SOD and the data groups read) and Active
/// Authentication between Chip Authentication and Terminal Authentication.
#[test]
fn iso7816_k_19_pa_and_aa_between_ca_and_ta() {
    use dactyl::reader::authenticity::run_active_authentication;
    for open in BOTH {
        let (mut t, _, dv1, is1) = setup(open, false);
        for ef in [EfId::Com, EfId::Sod, EfId::Dg(1), EfId::Dg(2), EfId::Dg(14)] {
            t.session.read_file(ef, &mut |_, _| {}).unwrap();
        }
        let dg15 = t.session.read_file(EfId::Dg(15), &mut |_, _| {}).unwrap();
        let aa = run_active_authentication(&mut t.session, &dg15, None);
        assert_eq!(aa.verdict, dactyl::pki::pa::Verdict::Pass, "{aa:?}");
        let s = t.terminal_authentication(&[&dv1.cert, &is1.cert], &is1.key);
        assert_eq!(s, sw::OK, "ISO7816_K_19 ({open:?})");
    }
}

/// ISO7816_K_20: after PACE, a signature with its last byte changed is refused; so is a
/// correct signature over the static binding (document number) instead of the dynamic one.
#[test]
fn iso7816_k_20_invalid_signature_after_pace() {
    let (mut t, _, dv1, is1) = setup(Open::Pace, false);
    chain_and_set_at(&mut t, &dv1, &is1);
    let challenge = t.challenge();
    let mut sig = t.signature(&is1.key, &challenge);
    if let Some(last) = sig.last_mut() {
        *last = last.wrapping_add(1);
    }
    let s = t.external_authenticate(sig);
    assert!(refused(s), "ISO7816_K_20: {s:04X}");

    let (mut t, _, dv1, is1) = setup(Open::Pace, false);
    chain_and_set_at(&mut t, &dv1, &is1);
    let challenge = t.challenge();
    let mut binding = t.binding();
    binding.chip = dactyl::access::ta::ChipIdentifier::document_number(&utopia_keys());
    let sig = is1.key.sign(&binding.message(&challenge)).unwrap();
    assert_eq!(
        t.external_authenticate(sig),
        0x6300,
        "static binding after PACE"
    );
}

// ---- ISO7816_L: effective access conditions -----------------------------------------------

/// ISO7816_L_1 to L_8: the effective rights are the AND of the DV's and the IS's CHATs (the
/// CVCA grants DG3 and DG4): DV rights, IS rights, the data group read, granted or not.
#[test]
fn iso7816_l_1_to_8_rights_of_dv_and_is_combined() {
    type Case = (&'static str, (bool, bool), (bool, bool), u8, bool);
    let cases: [Case; 8] = [
        ("ISO7816_L_1", (true, true), (true, false), 3, true),
        ("ISO7816_L_2", (true, true), (true, false), 4, false),
        ("ISO7816_L_3", (true, true), (false, true), 4, true),
        ("ISO7816_L_4", (true, true), (false, true), 3, false),
        ("ISO7816_L_5", (true, false), (true, true), 3, true),
        ("ISO7816_L_6", (true, false), (true, true), 4, false),
        ("ISO7816_L_7", (false, true), (true, true), 4, true),
        ("ISO7816_L_8", (false, true), (true, true), 3, false),
    ];
    let cvca = cvca();
    for (id, (dv3, dv4), (is3, is4), dg, granted) in cases {
        let dv = dv(
            &cvca,
            "DETESTDVDE003",
            chat(dactyl::access::cvc::Role::DvDomestic, dv3, dv4),
            eff(0, 0),
            eff(1, 0),
        );
        let is = is(&dv, "DETESTISDE003", is3, is4, eff(0, 0), eff(1, 0));
        for open in BOTH {
            let mut t = Terminal::new(chip(&[&cvca.cert], CVCA_EFF, true), open);
            let s = t.terminal_authentication(&[&dv.cert, &is.cert], &is.key);
            assert_eq!(s, sw::OK, "{id} ({open:?}) step 7");
            let r = t.read_sfi(dg);
            if granted {
                let tag = if dg == 3 { 0x63 } else { 0x76 };
                assert_eq!(
                    (r.sw, r.data.as_slice()),
                    (sw::OK, [tag].as_slice()),
                    "{id} ({open:?})"
                );
            } else {
                assert!(checking_error(r.sw), "{id} ({open:?}): DG{dg} {:04X}", r.sw);
            }
        }
    }
}

/// BSI TR-03110-3 clause 2.7 (beyond the plan's units): the trust point's CHAT takes part in
/// the AND; a CVCA granting DG3 only keeps DG4 closed to a DV and IS granting both.
#[test]
fn tr03110_3_effective_rights_include_the_trust_points_chat() {
    let k = key();
    let cvca_body = body(
        CVCA_CHR,
        CVCA_CHR,
        chat(dactyl::access::cvc::Role::Cvca, true, false),
        eff(0, 0),
        exp(0, 0),
        &k,
    );
    let cvca = Holder {
        cert: dactyl::access::cvc::Cvc::parse(
            &dactyl::issuance::cv_pki::build(&cvca_body, &k).unwrap(),
        )
        .unwrap(),
        key: k,
    };
    let (dv1, is1) = set1(&cvca);
    let mut t = Terminal::new(chip(&[&cvca.cert], CVCA_EFF, true), Open::Pace);
    assert_eq!(
        t.terminal_authentication(&[&dv1.cert, &is1.cert], &is1.key),
        sw::OK
    );
    assert_eq!(t.read_sfi(3).sw, sw::OK);
    assert!(checking_error(t.read_sfi(4).sw));
}

/// ISO7816_L_9, L_10: a verified chain, MSE:Set AT and GET CHALLENGE without EXTERNAL
/// AUTHENTICATE open neither DG3 nor DG4.
#[test]
fn iso7816_l_9_10_chain_without_external_authenticate() {
    for (id, dg) in [("ISO7816_L_9", 3), ("ISO7816_L_10", 4)] {
        for open in BOTH {
            let (mut t, _, dv1, is1) = setup(open, true);
            chain_and_set_at(&mut t, &dv1, &is1);
            t.challenge();
            let r = t.read_sfi(dg);
            assert!(checking_error(r.sw), "{id} ({open:?}): {:04X}", r.sw);
        }
    }
}

/// ISO7816_L_11, L_12: a failed EXTERNAL AUTHENTICATE (a signature over another challenge)
/// opens neither DG3 nor DG4.
#[test]
fn iso7816_l_11_12_failed_external_authenticate() {
    for (id, dg) in [("ISO7816_L_11", 3), ("ISO7816_L_12", 4)] {
        for open in BOTH {
            let (mut t, _, dv1, is1) = setup(open, true);
            chain_and_set_at(&mut t, &dv1, &is1);
            let mut challenge = t.challenge();
            challenge[0] ^= 1;
            let sig = t.signature(&is1.key, &challenge);
            let s = t.external_authenticate(sig);
            assert!(refused(s), "{id} ({open:?}) step 7: {s:04X}");
            let r = t.read_sfi(dg);
            assert!(checking_error(r.sw), "{id} ({open:?}): {:04X}", r.sw);
        }
    }
}

/// ISO7816_L_13 to L_16: after Terminal Authentication, SELECT MF under secure messaging and a
/// second Open ePassport Application (BAC or PACE; the procedure's plain commands end the
/// authenticated session): DG3 is closed in the new session.
#[test]
fn iso7816_l_13_to_16_second_opening_resets_the_rights() {
    let cases = [
        ("ISO7816_L_13", Open::Bac, Open::Bac),
        ("ISO7816_L_14", Open::Pace, Open::Pace),
        ("ISO7816_L_15", Open::Pace, Open::Bac),
        ("ISO7816_L_16", Open::Bac, Open::Pace),
    ];
    for (id, first, second) in cases {
        let (mut t, _, dv1, is1) = setup(first, false);
        let s = t.terminal_authentication(&[&dv1.cert, &is1.cert], &is1.key);
        assert_eq!(s, sw::OK, "{id} step 7");
        let mf = t.sm(&Command::new(0x00, 0xA4, 0x00, 0x0C)).sw;
        assert!(mf == sw::OK || checking_error(mf), "{id} step 8: {mf:04X}");
        if mf != sw::OK {
            continue;
        }
        t.open_application(second);
        let r = t.read_sfi(3);
        assert!(checking_error(r.sw), "{id} step 10: {:04X}", r.sw);
    }
}
