//! BSI TR-03105 Part 3.2 v1.5.1 against dactyl's virtual chip: unit ISO7816_J (certificate
//! verification: MSE:Set DST and PSO:Verify Certificate with the malformed, expired and
//! misplaced certificates of sets 1, 2, 10, 11, 12 and 14). Every case runs after BAC and
//! after PACE, each followed by Chip Authentication. Unit ISO7816_M (the updates of the
//! current date and the trust points) is in `tr03105_3_2_updates.rs`.
//!
//! Not reproducible here:
//! - ISO7816_J_14, J_16, J_42: deleted from the plan; J_54: moved to ISO7816_M_5.
//! - ISO7816_J_32, J_39, J_40 (RSA profile): the plan runs them only on a chip personalized
//!   with RSA keys; the test chips carry ECDSA (P-256) trust points, so the ECDSA forms run
//!   (J_33, J_34, J_38, J_41).

#[path = "common/cv_sets.rs"]
mod cv_sets;

use cv_sets::*;
use dactyl::access::cvc::{CvSigningKey, Role};
use dactyl::apdu::{Command, sw};
use dactyl::crypto::signing_key::KeyAlgorithm;
use dactyl::tlv;

/// DV_CERT_1's body objects: 0 profile, 1 CAR, 2 public key, 3 CHR, 4 CHAT, 5 effective
/// date, 6 expiration date.
const CHAT: usize = 4;
const EFFECTIVE: usize = 5;
const EXPIRATION: usize = 6;

// ---- ISO7816_J: certificate verification ---------------------------------------------------

/// J_1: the positive chain; J_2 to J_10, J_17 to J_21, J_23, J_24: a malformed DV_CERT_1
/// (or a bad CAR) is refused and its key is then not available to verify IS_CERT_1.
#[test]
fn iso7816_j_1_to_24_dv_certificate_checks() {
    let cvca = cvca();
    let (dv1, is1) = set1(&cvca);
    let good = content(&dv1.cert);
    let objects = body_objects(&dv1.cert);
    let sign = |objs: &[Vec<u8>]| signed_content(objs, &cvca.key);
    let replace = |i: usize, o: Vec<u8>| {
        let mut v = objects.clone();
        v[i] = o;
        sign(&v)
    };
    let without = |i: usize| {
        let mut v = objects.clone();
        v.remove(i);
        sign(&v)
    };
    let (body, sig) = split(&good);
    let mut day32 = digits(eff(0, 0));
    day32[4..].copy_from_slice(&[3, 2]);
    let body_len = tlv::encode(0x7F4E, &body).len();
    // (case, CAR for MSE:Set DST, DV content)
    let cases: Vec<(&str, String, Vec<u8>)> = vec![
        ("ISO7816_J_2", "DETESTCVCA00002".into(), good.clone()),
        (
            "ISO7816_J_3",
            CVCA_CHR.into(),
            resign(&good, |s| *s.last_mut().unwrap() ^= 1),
        ),
        ("ISO7816_J_4", CVCA_CHR.into(), tlv::encode(0x7F4E, &body)),
        ("ISO7816_J_5", CVCA_CHR.into(), tlv::encode(0x5F37, &sig)),
        ("ISO7816_J_6", CVCA_CHR.into(), without(CHAT)),
        ("ISO7816_J_7", CVCA_CHR.into(), without(EFFECTIVE)),
        ("ISO7816_J_8", CVCA_CHR.into(), without(EXPIRATION)),
        (
            "ISO7816_J_9",
            CVCA_CHR.into(),
            replace(EFFECTIVE, date_object(0x5F25, [10, 11, 12, 13, 14, 15])),
        ),
        (
            "ISO7816_J_10",
            CVCA_CHR.into(),
            replace(EXPIRATION, date_object(0x5F24, [10, 11, 12, 13, 14, 15])),
        ),
        (
            "ISO7816_J_17",
            CVCA_CHR.into(),
            retag(&good, 0, &[0x7F, 0x4F]),
        ),
        (
            "ISO7816_J_18",
            CVCA_CHR.into(),
            retag(&good, body_len, &[0x5F, 0x38]),
        ),
        ("ISO7816_J_19", CVCA_CHR.into(), {
            let mut v = objects.clone();
            v[EFFECTIVE] = date_object(0x5F25, day32);
            v[EXPIRATION] = date_object(0x5F24, digits(exp(0, 0)));
            sign(&v)
        }),
        (
            "ISO7816_J_20",
            CVCA_CHR.into(),
            replace(EXPIRATION, date_object(0x5F24, day32)),
        ),
        ("ISO7816_J_21", CVCA_CHR.into(), {
            let mut v = objects.clone();
            v[EFFECTIVE] = date_object(0x5F25, digits(eff(0, 1)));
            v[EXPIRATION] = date_object(0x5F24, digits(eff(0, 0)));
            sign(&v)
        }),
        ("ISO7816_J_23", CVCA_CHR.into(), {
            let chat = [oid("0.4.0.127.0.7.3.1.2.2"), tlv::encode(0x53, &[0x83])].concat();
            replace(CHAT, tlv::encode(0x7F4C, &chat))
        }),
        ("ISO7816_J_24", CVCA_CHR.into(), {
            sign(&with_key(
                &objects,
                Some(Some(oid("0.4.0.127.0.7.2.2.2.5.1"))),
                false,
                &[],
            ))
        }),
    ];
    for open in BOTH {
        let mut t = Terminal::new(chip(&[&cvca.cert], CVCA_EFF, false), open);
        // ISO7816_J_1: the positive chain (9000 four times).
        assert_eq!(t.verify(&dv1.cert), [sw::OK; 2], "ISO7816_J_1 ({open:?})");
        assert_eq!(t.verify(&is1.cert), [sw::OK; 2], "ISO7816_J_1 ({open:?})");
        for (id, car, dv_content) in &cases {
            // A fresh session: the DV key of J_1 must not be there.
            t.power_cycle(true);
            let s1 = t.set_dst(car);
            if car == CVCA_CHR {
                assert_eq!(s1, sw::OK, "{id} ({open:?}) step 1");
            } else {
                assert!(s1 == sw::OK || checking_error(s1), "{id} ({open:?}) step 1");
            }
            let s2 = t.pso_raw(dv_content.clone());
            assert!(refused(s2), "{id} ({open:?}) step 2: {s2:04X}");
            let s3 = t.set_dst(dv1.chr());
            assert!(s3 == sw::OK || checking_error(s3), "{id} ({open:?}) step 3");
            let s4 = t.pso(&is1.cert);
            assert!(refused(s4), "{id} ({open:?}) step 4: {s4:04X}");
        }
        assert_eq!(
            t.current_date(),
            CVCA_EFF,
            "no refused certificate moved the date"
        );
    }
}

/// ISO7816_J_11: an IS certificate of a foreign DV with a later effective date does not move
/// the current date: after a reset, an IS certificate expiring before that date still passes.
#[test]
fn iso7816_j_11_foreign_terminal_is_no_source_of_time() {
    let cvca = cvca();
    let dv2 = dv(
        &cvca,
        "DETESTDVDE002",
        chat(Role::DvForeign, true, true),
        eff(0, 0),
        eff(1, 0),
    );
    let is2a = is(&dv2, "DETESTISDE002", true, true, eff(0, 14), eff(1, 0));
    let is2b = is(&dv2, "DETESTISDE002", true, true, eff(0, 0), eff(0, 13));
    for open in BOTH {
        let mut t = Terminal::new(chip(&[&cvca.cert], CVCA_EFF, false), open);
        t.chain(&[&dv2.cert, &is2a.cert]);
        assert_eq!(t.current_date(), CVCA_EFF, "ISO7816_J_11 ({open:?})");
        t.power_cycle(true);
        assert_eq!(
            t.verify(&dv2.cert),
            [sw::OK; 2],
            "ISO7816_J_11 ({open:?}) steps 5-6"
        );
        assert_eq!(
            t.verify(&is2b.cert),
            [sw::OK; 2],
            "ISO7816_J_11 ({open:?}) steps 7-8"
        );
    }
}

/// ISO7816_J_12: a plain MSE:Set DST or PSO:Verify Certificate ends secure messaging: the
/// plain command is answered in plain (9000 or an error), the next protected one in plain
/// with an error.
#[test]
fn iso7816_j_12_certificate_commands_without_secure_messaging() {
    let cvca = cvca();
    let (dv1, _) = set1(&cvca);
    for open in BOTH {
        let mut t = Terminal::new(chip(&[&cvca.cert], CVCA_EFF, false), open);
        let r = t.plain(&mse(0xB6, 0x83, CVCA_CHR));
        assert!(
            r.data.is_empty() && (r.sw == sw::OK || checking_error(r.sw)),
            "step 1"
        );
        let protected = t
            .session
            .transmit(&Command::new(0x00, 0x2A, 0x00, 0xBE).with_data(content(&dv1.cert)));
        assert!(
            protected.is_err(),
            "ISO7816_J_12 ({open:?}) step 2: {protected:?}"
        );

        t.power_cycle(true);
        assert_eq!(
            t.set_dst(CVCA_CHR),
            sw::OK,
            "ISO7816_J_12 ({open:?}) step 3"
        );
        let r = t.plain(&Command::new(0x00, 0x2A, 0x00, 0xBE).with_data(content(&dv1.cert)));
        assert!(
            r.data.is_empty() && checking_error(r.sw),
            "ISO7816_J_12 ({open:?}) step 4"
        );
        let step5 = t.session.transmit(&mse(0xB6, 0x83, dv1.chr()));
        assert!(step5.is_err(), "ISO7816_J_12 ({open:?}) step 5: {step5:?}");
    }
}

/// ISO7816_J_13, J_15: MSE:Set DST and PSO:Verify Certificate with CLA 8C: an ISO checking
/// error; answered under secure messaging, the session goes on.
#[test]
fn iso7816_j_13_15_invalid_class_byte() {
    let cvca = cvca();
    let (dv1, _) = set1(&cvca);
    for open in BOTH {
        let mut t = Terminal::new(chip(&[&cvca.cert], CVCA_EFF, false), open);
        let mut dst = mse(0xB6, 0x83, CVCA_CHR);
        dst.cla = 0x80;
        let r = t.session.transmit(&dst).unwrap();
        assert!(
            checking_error(r.sw),
            "ISO7816_J_13 ({open:?}): {:04X}",
            r.sw
        );
        if !t.session.last_answer_unprotected() {
            let com = Command::new(0x00, 0xA4, 0x02, 0x0C).with_data(vec![0x01, 0x1E]);
            assert_eq!(t.sm(&com).sw, sw::OK, "ISO7816_J_13 ({open:?}) step 2");
        }
        assert_eq!(
            t.set_dst(CVCA_CHR),
            sw::OK,
            "ISO7816_J_15 ({open:?}) step 1"
        );
        let pso = Command::new(0x80, 0x2A, 0x00, 0xBE).with_data(content(&dv1.cert));
        let r = t.session.transmit(&pso).unwrap();
        assert!(
            checking_error(r.sw),
            "ISO7816_J_15 ({open:?}): {:04X}",
            r.sw
        );
        if !t.session.last_answer_unprotected() {
            let com = Command::new(0x00, 0xA4, 0x02, 0x0C).with_data(vec![0x01, 0x1E]);
            assert_eq!(t.sm(&com).sw, sw::OK, "ISO7816_J_15 ({open:?}) step 3");
        }
    }
}

/// ISO7816_J_22: the temporary key of a verified DV certificate is gone after a reset.
#[test]
fn iso7816_j_22_temporary_keys_removed_on_reset() {
    let cvca = cvca();
    let (dv1, is1) = set1(&cvca);
    for open in BOTH {
        let mut t = Terminal::new(chip(&[&cvca.cert], CVCA_EFF, false), open);
        assert_eq!(t.verify(&dv1.cert), [sw::OK; 2]);
        t.power_cycle(true);
        let s3 = t.set_dst(dv1.chr());
        assert!(
            s3 == sw::OK || checking_error(s3),
            "ISO7816_J_22 ({open:?}) step 3"
        );
        let s4 = t.pso(&is1.cert);
        assert!(refused(s4), "ISO7816_J_22 ({open:?}) step 4: {s4:04X}");
    }
}

/// ISO7816_J_25 to J_41 (ECDSA profile): a refused DV_CERT_12x (effective CVCAeff + 1 month +
/// 20 days) must not move the current date: after a reset, DV_CERT_1 (expiring CVCAeff + 1
/// month) still passes. J_35 sends DV_CERT_12a without MSE:Set DST.
#[test]
fn iso7816_j_25_to_41_refused_certificates_leave_the_date() {
    let cvca = cvca();
    let (dv1, _) = set1(&cvca);
    let dv12 = dv(
        &cvca,
        "DETESTDVDE012",
        chat(Role::DvDomestic, true, true),
        eff(1, 20),
        eff(1, 25),
    );
    let good = content(&dv12.cert);
    let objects = body_objects(&dv12.cert);
    let sign = |objs: &[Vec<u8>]| signed_content(objs, &cvca.key);
    let (body, sig) = split(&good);
    let body_do = tlv::encode(0x7F4E, &body);
    let half = sig.len() / 2;
    let length_less =
        |tag: &[u8], value: &[u8]| [tag, &tlv::encode_len(value.len() - 1), value].concat();
    // (case, MSE:Set DST's CAR or none, DV content)
    let cases: Vec<(&str, Option<&str>, Vec<u8>)> = vec![
        ("ISO7816_J_25", Some("DETESTCVCA00002"), good.clone()),
        (
            "ISO7816_J_26",
            Some(CVCA_CHR),
            retag(&good, 0, &[0x7F, 0x4F]),
        ),
        (
            "ISO7816_J_27",
            Some(CVCA_CHR),
            retag(&good, body_do.len(), &[0x5F, 0x38]),
        ),
        (
            "ISO7816_J_28",
            Some(CVCA_CHR),
            [length_less(&[0x7F, 0x4E], &body), tlv::encode(0x5F37, &sig)].concat(),
        ),
        (
            "ISO7816_J_29",
            Some(CVCA_CHR),
            [body_do.clone(), length_less(&[0x5F, 0x37], &sig)].concat(),
        ),
        (
            "ISO7816_J_30",
            Some(CVCA_CHR),
            resign(&good, |s| {
                *s.last_mut().unwrap() = s.last().unwrap().wrapping_add(1)
            }),
        ),
        (
            "ISO7816_J_31",
            Some(CVCA_CHR),
            resign(&good, |s| {
                s.pop();
            }),
        ),
        (
            "ISO7816_J_33",
            Some(CVCA_CHR),
            resign(&good, |s| s[..half].fill(0)),
        ),
        (
            "ISO7816_J_34",
            Some(CVCA_CHR),
            resign(&good, |s| s[half..].fill(0)),
        ),
        ("ISO7816_J_35", None, good.clone()),
        (
            "ISO7816_J_36",
            Some(CVCA_CHR),
            sign(&with_key(
                &objects,
                Some(Some(oid("0.4.0.127.0.7.2.2.3.2.1"))),
                false,
                &[],
            )),
        ),
        (
            "ISO7816_J_37",
            Some(CVCA_CHR),
            sign(&with_key(&objects, Some(None), false, &[])),
        ),
        (
            "ISO7816_J_38",
            Some(CVCA_CHR),
            sign(&with_key(&objects, None, true, &[])),
        ),
        (
            "ISO7816_J_41",
            Some(CVCA_CHR),
            sign(&with_key(&objects, None, false, &[0x77, 0x01, 0x00])),
        ),
    ];
    for open in BOTH {
        let mut t = Terminal::new(chip(&[&cvca.cert], CVCA_EFF, false), open);
        for (id, car, dv_content) in &cases {
            if let Some(car) = car {
                let s1 = t.set_dst(car);
                assert!(
                    s1 == sw::OK || (*car != CVCA_CHR && checking_error(s1)),
                    "{id} step 1"
                );
            }
            let s2 = t.pso_raw(dv_content.clone());
            assert!(refused(s2), "{id} ({open:?}) step 2: {s2:04X}");
            t.power_cycle(true);
            assert_eq!(
                t.verify(&dv1.cert),
                [sw::OK; 2],
                "{id} ({open:?}) steps 3-4"
            );
            t.power_cycle(true);
        }
        // The set's own certificate is valid: it is the changes that are refused.
        assert_eq!(t.verify(&dv12.cert), [sw::OK; 2]);
        assert_eq!(t.current_date(), eff(1, 20));
    }
}

/// ISO7816_J_43 to J_53: the role sequence CVCA -> DV -> IS: a CVCA issues no IS certificate,
/// a DV no CVCA or DV certificate, an IS no certificate at all. The certificates before the
/// last pass; MSE:Set DST for the last one's issuer answers 9000 (or, for an IS key, an
/// error); the last is refused.
#[test]
fn iso7816_j_43_to_53_role_sequence() {
    let cvca = cvca();
    let dv10_key = key();
    let span = (eff(0, 0), eff(1, 0));
    let dom = || chat(Role::DvDomestic, true, true);
    let foreign = || chat(Role::DvForeign, true, true);
    let cvca_chat = || chat(Role::Cvca, true, true);
    let is_chat = || chat(Role::Terminal, true, true);
    let dv10a = cert_for(CVCA_CHR, "DETESTDVDE010", dom(), span, &dv10_key, &cvca.key);
    let dv10b = cert_for(
        CVCA_CHR,
        "DETESTDVDE010",
        foreign(),
        span,
        &dv10_key,
        &cvca.key,
    );
    let link10 = cert_for(
        "DETESTDVDE010",
        CVCA_CHR,
        cvca_chat(),
        (eff(0, 0), exp(0, 0)),
        &cvca.key,
        &dv10_key,
    );
    let dv10c = cert_for(
        "DETESTDVDE010",
        "DETESTDVDE110",
        dom(),
        span,
        &dv10_key,
        &dv10_key,
    );
    let dv10d = cert_for(
        "DETESTDVDE010",
        "DETESTDVDE110",
        foreign(),
        span,
        &dv10_key,
        &dv10_key,
    );
    let is10 = cert_for(
        CVCA_CHR,
        "DETESTISDE010",
        is_chat(),
        (eff(0, 0), eff(0, 13)),
        &key(),
        &cvca.key,
    );
    let dv11a = dv(&cvca, "DETESTDVDE011", dom(), eff(0, 0), eff(1, 0));
    let is11a = is(&dv11a, "DETESTISDE011", true, true, eff(0, 0), eff(0, 13));
    let (is11, dv11) = (&is11a.key, &dv11a.key);
    let dv11b = cert_for(
        "DETESTISDE011",
        "DETESTDVDE001",
        foreign(),
        span,
        dv11,
        is11,
    );
    let dv11c = cert_for("DETESTISDE011", "DETESTDVDE011", dom(), span, dv11, is11);
    let is11b = cert_for(
        "DETESTISDE011",
        "DETESTISDE011",
        is_chat(),
        (eff(0, 0), eff(0, 13)),
        is11,
        is11,
    );
    let link11a = cert_for(
        "DETESTISDE011",
        CVCA_CHR,
        cvca_chat(),
        (eff(0, 0), exp(0, 0)),
        &cvca.key,
        is11,
    );
    let c = |x: &dactyl::access::cvc::Cvc| x.clone();
    let (dv11a, is11a) = (dv11a.cert.clone(), is11a.cert.clone());
    // (case, certificates that pass, the refused one)
    let cases = [
        ("ISO7816_J_43", vec![], c(&is10)),
        ("ISO7816_J_44", vec![c(&dv10a)], c(&link10)),
        ("ISO7816_J_45", vec![c(&dv10b)], c(&link10)),
        ("ISO7816_J_46", vec![c(&dv10a)], c(&dv10c)),
        ("ISO7816_J_47", vec![c(&dv10a)], c(&dv10d)),
        ("ISO7816_J_48", vec![c(&dv10b)], c(&dv10c)),
        ("ISO7816_J_49", vec![c(&dv10b)], c(&dv10d)),
        ("ISO7816_J_50", vec![c(&dv11a), c(&is11a)], dv11b),
        ("ISO7816_J_51", vec![c(&dv11a), c(&is11a)], dv11c),
        ("ISO7816_J_52", vec![c(&dv11a), c(&is11a)], is11b),
        ("ISO7816_J_53", vec![dv11a, is11a], link11a),
    ];
    for open in BOTH {
        let mut t = Terminal::new(chip(&[&cvca.cert], CVCA_EFF, false), open);
        for (id, pass, last) in &cases {
            for p in pass {
                assert_eq!(t.verify(p), [sw::OK; 2], "{id} ({open:?}): {}", p.chr());
            }
            let dst = t.set_dst(last.car());
            let issuer_is_terminal = last.car() == "DETESTISDE011";
            assert!(
                dst == sw::OK || (issuer_is_terminal && checking_error(dst)),
                "{id} ({open:?}): MSE:Set DST {dst:04X}"
            );
            let s = t.pso(last);
            assert!(refused(s), "{id} ({open:?}): {s:04X}");
            t.power_cycle(true);
        }
        assert_eq!(
            t.chip
                .0
                .borrow()
                .files()
                .get(dactyl::lds::files::EfId::Cvca)
                .map(ef_cvca_cars),
            Some(vec![CVCA_CHR.to_string()])
        );
    }
}

/// ISO7816_J_55, J_56 (ECDSA profile): the chain keeps the CVCA's domain parameters: a DV or
/// IS key with explicit parameters of a shorter curve (P-256 under a P-384 CVCA, the same
/// algorithm identifier) is refused.
#[test]
fn iso7816_j_55_56_shorter_keys_refused() {
    let cvca = cvca_with(CvSigningKey::generate(KeyAlgorithm::P384).unwrap());
    let algorithm = cvca.cert.body().public_key.algorithm;
    let short = |car: &str, chr: &str, role: Role, signer: &CvSigningKey| {
        let k = CvSigningKey::generate(KeyAlgorithm::P256).unwrap();
        let mut b = body(car, chr, chat(role, true, true), eff(0, 0), eff(0, 14), &k);
        b.public_key = k.public_key(true).unwrap();
        b.public_key.algorithm = algorithm;
        let cert =
            dactyl::access::cvc::Cvc::parse(&dactyl::issuance::cv_pki::build(&b, signer).unwrap())
                .unwrap();
        Holder { cert, key: k }
    };
    let long = || CvSigningKey::generate(KeyAlgorithm::P384).unwrap();
    let dv14b = short(CVCA_CHR, "DETESTDVDE014", Role::DvDomestic, &cvca.key);
    let is14a = cert_for(
        "DETESTDVDE014",
        "DETESTISDE014",
        chat(Role::Terminal, true, true),
        (eff(0, 0), eff(0, 14)),
        &long(),
        &dv14b.key,
    );
    let dv14a = issue(
        CVCA_CHR,
        "DETESTDVDE014",
        chat(Role::DvDomestic, true, true),
        eff(0, 0),
        eff(1, 0),
        long(),
        &cvca.key,
    );
    let is14b = short("DETESTDVDE014", "DETESTISDE014", Role::Terminal, &dv14a.key);
    for open in BOTH {
        let mut t = Terminal::new(chip(&[&cvca.cert], CVCA_EFF, false), open);
        let [s1, s2] = t.verify(&dv14b.cert);
        assert!(
            s1 == sw::OK && refused(s2),
            "ISO7816_J_55 ({open:?}): {s2:04X}"
        );
        let [s3, s4] = t.verify(&is14a);
        assert!(
            (s3 == sw::OK || checking_error(s3)) && refused(s4),
            "ISO7816_J_55 ({open:?})"
        );
        t.power_cycle(true);
        assert_eq!(
            t.verify(&dv14a.cert),
            [sw::OK; 2],
            "ISO7816_J_56 ({open:?})"
        );
        let [s3, s4] = t.verify(&is14b.cert);
        assert!(
            s3 == sw::OK && refused(s4),
            "ISO7816_J_56 ({open:?}): {s4:04X}"
        );
    }
}
