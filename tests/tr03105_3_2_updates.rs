//! BSI TR-03105 Part 3.2 v1.5.1 against dactyl's virtual chip: unit ISO7816_M (the persistent
//! updates of the current date and the trust points: certificate sets 6 to 9 and 11). Each case
//! runs after BAC and after PACE, each followed by Chip Authentication; ISO7816_M_3 to M_6
//! build on each other as the plan orders them and run on one chip.
//!
//! Not reproducible here: none of the unit's six cases is left out.

#[path = "common/cv_sets.rs"]
mod cv_sets;

use cv_sets::*;
use dactyl::access::cvc::Role;
use dactyl::apdu::{Command, sw};

/// ISO7816_M_1: an IS certificate of a domestic DV (an accurate terminal) moves the current
/// date: after a reset, an IS certificate expiring before that date is refused.
#[test]
fn iso7816_m_1_domestic_terminal_moves_the_date() {
    let cvca = cvca();
    let dv6 = dv(
        &cvca,
        "DETESTDVDE006",
        chat(Role::DvDomestic, true, true),
        eff(0, 0),
        eff(1, 0),
    );
    let is6a = is(&dv6, "DETESTISDE006", true, true, eff(0, 14), eff(1, 0));
    let is6b = is(&dv6, "DETESTISDE006", true, true, eff(0, 0), eff(0, 13));
    for open in BOTH {
        let mut t = Terminal::new(chip(&[&cvca.cert], CVCA_EFF, false), open);
        t.chain(&[&dv6.cert, &is6a.cert]);
        t.power_cycle(true);
        assert_eq!(
            t.verify(&dv6.cert),
            [sw::OK; 2],
            "ISO7816_M_1 ({open:?}) steps 5-6"
        );
        let [s7, s8] = t.verify(&is6b.cert);
        assert!(
            s7 == sw::OK && refused(s8),
            "ISO7816_M_1 ({open:?}) step 8: {s8:04X}"
        );
        assert_eq!(t.current_date(), eff(0, 14));
    }
}

/// ISO7816_M_2: a DV certificate moves the current date: after a reset, a DV certificate
/// expiring before that date is refused.
#[test]
fn iso7816_m_2_dv_certificate_moves_the_date() {
    let cvca = cvca();
    let dv6 = dv(
        &cvca,
        "DETESTDVDE006",
        chat(Role::DvDomestic, true, true),
        eff(0, 0),
        eff(1, 0),
    );
    let dv6a = cert_for(
        CVCA_CHR,
        "DETESTDVDE006",
        chat(Role::DvDomestic, true, true),
        (eff(1, 1), eff(2, 0)),
        &dv6.key,
        &cvca.key,
    );
    for open in BOTH {
        let mut t = Terminal::new(chip(&[&cvca.cert], CVCA_EFF, false), open);
        assert_eq!(
            t.verify(&dv6a),
            [sw::OK; 2],
            "ISO7816_M_2 ({open:?}) steps 1-2"
        );
        t.power_cycle(true);
        let [s3, s4] = t.verify(&dv6.cert);
        assert!(
            s3 == sw::OK && refused(s4),
            "ISO7816_M_2 ({open:?}) step 4: {s4:04X}"
        );
    }
}

/// ISO7816_M_3 to M_6 on one chip, in the plan's order: a link certificate adds a trust point
/// that outlives a reset (EF.CVCA: the new CAR first); the old trust point verifies DV
/// certificates until a DV certificate of the new one moves the date past its expiry; two
/// more link certificates replace both trust points; a CVCA issues no IS certificate; EF.CVCA
/// is 36 bytes with nothing readable after them.
#[test]
fn iso7816_m_3_to_6_trust_point_updates() {
    let cvca = cvca();
    let cvca_chat = || chat(Role::Cvca, true, true);
    let dom = || chat(Role::DvDomestic, true, true);
    let link7 = issue(
        CVCA_CHR,
        "DETEST_LINKDE007",
        cvca_chat(),
        exp(0, -1),
        exp(2, 0),
        key(),
        &cvca.key,
    );
    let dv7_key = key();
    let dv7a = cert_for(
        CVCA_CHR,
        "DETESTDVDE007",
        dom(),
        (eff(0, 0), exp(0, 0)),
        &dv7_key,
        &cvca.key,
    );
    let dv7b = cert_for(
        link7.chr(),
        "DETESTDVDE007",
        dom(),
        (exp(0, 1), exp(1, 0)),
        &dv7_key,
        &link7.key,
    );
    let link8 = issue(
        link7.chr(),
        "DETEST_LINKDE008",
        cvca_chat(),
        exp(1, 0),
        exp(4, 0),
        key(),
        &link7.key,
    );
    let link9 = issue(
        link8.chr(),
        "DETESTCADE009",
        cvca_chat(),
        exp(3, 0),
        exp(6, 0),
        key(),
        &link8.key,
    );
    let dv9 = dv(&link9, "DETESTDVDE009", dom(), exp(3, 0), exp(4, 0));
    let link11b = issue(
        link9.chr(),
        "DETESTCADE011",
        cvca_chat(),
        exp(5, 0),
        exp(8, 0),
        key(),
        &link9.key,
    );
    let is11c = is(&link11b, "DETESTISDE011", true, true, exp(5, 0), exp(6, 0));

    for open in BOTH {
        let mut t = Terminal::new(chip(&[&cvca.cert], CVCA_EFF, false), open);
        // ISO7816_M_3
        assert_eq!(
            t.verify(&link7.cert),
            [sw::OK; 2],
            "ISO7816_M_3 steps 1-2 ({open:?})"
        );
        t.power_cycle(true);
        let cars = ef_cvca_cars(&t.ef_cvca());
        assert_eq!(
            cars,
            [link7.chr(), CVCA_CHR],
            "ISO7816_M_3 step 3 ({open:?})"
        );
        assert_eq!(
            t.verify(&dv7a),
            [sw::OK; 2],
            "ISO7816_M_3 steps 4-5 ({open:?})"
        );
        t.power_cycle(true);
        assert_eq!(
            t.verify(&dv7b),
            [sw::OK; 2],
            "ISO7816_M_3 steps 6-7 ({open:?})"
        );
        assert_eq!(t.current_date(), exp(0, 1));
        t.power_cycle(true);
        let [s8, s9] = t.verify(&dv7a);
        assert!(
            s8 == sw::OK || checking_error(s8),
            "ISO7816_M_3 step 8 ({open:?})"
        );
        assert!(refused(s9), "ISO7816_M_3 step 9 ({open:?}): {s9:04X}");

        // ISO7816_M_4
        t.power_cycle(true);
        for c in [&link8.cert, &link9.cert, &dv9.cert] {
            assert_eq!(
                t.verify(c),
                [sw::OK; 2],
                "ISO7816_M_4 ({open:?}): {}",
                c.chr()
            );
        }
        let content = t.ef_cvca();
        assert_eq!(
            ef_cvca_cars(&content),
            [link9.chr(), link8.chr()],
            "ISO7816_M_4 ({open:?})"
        );
        assert_eq!(content[33..], [0, 0, 0], "ISO7816_M_4 ({open:?})");

        // ISO7816_M_5
        t.power_cycle(true);
        assert_eq!(
            t.verify(&link11b.cert),
            [sw::OK; 2],
            "ISO7816_M_5 steps 1-2 ({open:?})"
        );
        let [s3, s4] = t.verify(&is11c.cert);
        assert!(
            s3 == sw::OK && refused(s4),
            "ISO7816_M_5 step 4 ({open:?}): {s4:04X}"
        );

        // ISO7816_M_6
        t.power_cycle(true);
        let content = t.ef_cvca();
        assert_eq!(
            ef_cvca_cars(&content),
            [link11b.chr(), link9.chr()],
            "ISO7816_M_6 ({open:?})"
        );
        assert_eq!(content[30..], [0; 6], "ISO7816_M_6 ({open:?})");
        let r = t.sm(&Command::new(0x00, 0xB0, 0x00, 0x24).with_le(1));
        assert!(
            checking_error(r.sw) && r.data.is_empty(),
            "ISO7816_M_6 step 5 ({open:?}): {:04X}",
            r.sw
        );
    }
}
