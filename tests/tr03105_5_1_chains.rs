//! BSI TR-03105 Part 5.1 v1.5 (conformity tests for inspection systems): the cases of unit
//! ISO7816_E about EF.CVCA and the choice of certificate chain, and unit LDS_G "Tests with
//! EF.CVCA". dactyl's reader is the inspection system; the virtual chip is the plan's MRTD
//! simulator. The inspection system reads EF.CVCA (where DG14's TerminalAuthenticationInfo
//! says), picks the chain from a trust point it names, sends link certificates when the chip
//! trusts an older CVCA key, and fails cleanly (no error, no panic, a report) otherwise.
//!
//! Where the reproduction departs from the plan:
//! - E_25 (several certificates) was deleted in v1.2 of the plan; it is kept here as the
//!   brief for it says: the terminal holds chains of several CVCAs (one IS key certified by
//!   two countries' DVs) and must send the one the chip trusts.
//! - The plan's link certificates CVCA_Link_16/17 name CVCA_KEY_01 as both public and signing
//!   key; here each link certificate carries a new CVCA key signed with the previous one, as
//!   TR-03110-3 clause 2.6 describes a trust anchor update.
//! - LDS_G_02's chip has "no implemented trust point": the virtual chip always has one, so
//!   it trusts a CVCA the terminal has no chain for.

#[path = "common/tr03105_5_1.rs"]
mod tr51;

use dactyl::access::cvc::{CvSigningKey, Cvc, Role};
use dactyl::crypto::signing_key::KeyAlgorithm;
use dactyl::emulator::ChipImage;
use dactyl::issuance::chip_image::{EfCvcaConfig, FileSource};
use dactyl::lds::files::{EfId, FileLocation};
use dactyl::lds::security_infos::{SecurityInfo, dg14, encode_dg14};
use dactyl::transport::memory::InMemory;
use dactyl::transport::{CardSide, Transport};
use std::cell::RefCell;
use std::rc::Rc;
use tr51::*;

// ---------------------------------------------------------------------------------------------
// EF.CVCA's content.

/// EF.CVCA names DETESTCVCA00002; the chip trusts DETESTCVCA00001 and so does the terminal's
/// chain. The reader believes EF.CVCA and finds no chain.
#[test]
fn iso7816_e_08_a_wrong_car_in_ef_cvca_fails() {
    let chain = Chain::p256("DETESTCVCA00001");
    let mut img = passport(&chain.cvca);
    set_ef_cvca(&mut img, &ef_cvca(&["DETESTCVCA00002"]));
    let doc = inspect_image(&img, chain.terminal());
    assert_failed(&doc, "the chip trusts DETESTCVCA00002 (EF.CVCA)");
    let r = report(&doc);
    assert_eq!(r.ef_cvca, ["DETESTCVCA00002"]);
    assert_eq!(r.trust_point, None);
    assert!(r.chain.is_empty());
}

/// EF.CVCA is `42 00 00 00 00`: one CAR of no characters.
#[test]
fn iso7816_e_09_a_missing_car_in_ef_cvca_fails() {
    let chain = Chain::p256("DETESTCVCA00001");
    let mut img = passport(&chain.cvca);
    set_ef_cvca(&mut img, &[0x42, 0x00, 0x00, 0x00, 0x00]);
    let doc = inspect_image(&img, chain.terminal());
    assert_failed(&doc, "a CAR that is no certificate reference");
    assert!(report(&doc).chain.is_empty());
}

/// EF.CVCA lists three (short) CARs, DECV00001 to DECV00003; the chip trusts DECV00001. The
/// plan accepts success or failure as long as the inspection system stays operational: dactyl
/// picks the first CAR it has a chain for, and fails cleanly when that is one the chip does
/// not trust after all.
#[test]
fn iso7816_e_10_three_cars_in_ef_cvca() {
    let sha256 =
        dactyl::access::cvc::TaAlgorithm::Ecdsa(dactyl::crypto::hash::HashAlgorithm::Sha256);
    let keys = || ec_keys(KeyAlgorithm::P256, sha256);
    let chain = Chain::named("DECV00001", "DEDV00001", "DEIS00001", keys());
    let mut img = passport(&chain.cvca);
    let cars = ["DECV00001", "DECV00002", "DECV00003"];
    set_ef_cvca(&mut img, &ef_cvca(&cars));
    let doc = inspect_image(&img, chain.terminal());
    assert_successful(&doc);
    let r = report(&doc);
    assert_eq!(r.ef_cvca, cars);
    assert_eq!(r.trust_point.as_deref(), Some("DECV00001"));
    assert_eq!(status(&doc, "DG3").as_deref(), Some("read"));

    // A terminal with a chain from DECV00003 only: the chip does not know that key.
    let third = Chain::named("DECV00003", "DEDV00003", "DEIS00003", keys());
    let doc = inspect_image(&img, third.terminal());
    assert_failed(&doc, "MSE:Set DST DECV00003");
    assert_eq!(report(&doc).trust_point.as_deref(), Some("DECV00003"));
}

/// LDS_G_01: EF.CVCA's first CAR is not encoded with tag 42 (00 instead).
#[test]
fn lds_g_01_a_first_car_not_tagged_42_fails() {
    let chain = Chain::p256("DETESTCVCA00001");
    let mut img = passport(&chain.cvca);
    let mut content = ef_cvca(&["DETESTCVCA00001"]);
    content[0] = 0x00;
    set_ef_cvca(&mut img, &content);
    let doc = inspect_image(&img, chain.terminal());
    assert_failed(&doc, "data after the padding");
    assert!(report(&doc).ef_cvca.is_empty());
}

/// LDS_G_02: EF.CVCA holds only zeros and the chip trusts nothing the terminal knows.
#[test]
fn lds_g_02_an_empty_ef_cvca_fails() {
    let chain = Chain::p256("DETESTCVCA00001");
    let unknown = Chain::p256("DETESTCVCA00099");
    let mut img = passport(&unknown.cvca);
    set_ef_cvca(&mut img, &[0u8; 36]);
    let doc = inspect_image(&img, chain.terminal());
    assert_failed(&doc, "no CAR");
    // The same empty EF.CVCA on a chip that does trust the terminal's CVCA: still no chain
    // sent, the chip's own word is that it trusts nothing.
    let mut img = passport(&chain.cvca);
    set_ef_cvca(&mut img, &[0u8; 36]);
    assert_failed(&inspect_image(&img, chain.terminal()), "no CAR");
}

// ---------------------------------------------------------------------------------------------
// Where EF.CVCA is: TerminalAuthenticationInfo's efCVCA.

/// The image with DG14's TerminalAuthenticationInfo naming EF.CVCA at `fid` / `sfi`, while
/// EF.CVCA stays where it is.
fn with_ef_cvca_named_at(img: &ChipImage, fid: u16, sfi: Option<u8>) -> ChipImage {
    let fs = img.file_system_with(&load).unwrap();
    let mut infos = dg14(fs.get(EfId::Dg(14)).unwrap()).unwrap();
    let mut found = false;
    for info in &mut infos.infos {
        if let SecurityInfo::TerminalAuthentication(t) = info {
            t.file_id = Some(fid.to_be_bytes().to_vec());
            t.short_file_id = sfi;
            found = true;
        }
    }
    assert!(found, "DG14 has a TerminalAuthenticationInfo");
    let mut img = img.clone();
    img.files.insert(
        "DG14".into(),
        FileSource::Hex(hex::encode(encode_dg14(&infos))),
    );
    img
}

/// DG14 puts EF.CVCA at FID 011A (no SFI), where the chip has no file; EF.CVCA is at 011C.
#[test]
fn iso7816_e_22_ta_info_with_a_fid_other_than_ef_cvca_fails() {
    let chain = Chain::p256("DETESTCVCA00001");
    let img = with_ef_cvca_named_at(&passport(&chain.cvca), 0x011A, None);
    let doc = inspect_image(&img, chain.terminal());
    assert_failed(
        &doc,
        "DG14's TerminalAuthenticationInfo puts EF.CVCA at FID 011A, no SFI",
    );
    let r = report(&doc);
    assert!(r.ef_cvca_named_by_dg14);
    assert_eq!(
        r.ef_cvca_location,
        FileLocation {
            fid: 0x011A,
            sfi: None
        }
    );
    assert_eq!(status(&doc, "EF.CVCA").as_deref(), Some("not present"));
}

/// DG14 names EF.CVCA's FID with a wrong SFI: one no file has, or EF.SOD's (1D), whose
/// content is no EF.CVCA.
#[test]
fn iso7816_e_23_ta_info_with_an_sfi_other_than_ef_cvca_fails() {
    let chain = Chain::p256("DETESTCVCA00001");
    for (sfi, why) in [
        (0x1A, "where the chip has no readable EF.CVCA"),
        (0x1D, "77"),
    ] {
        let img = with_ef_cvca_named_at(&passport(&chain.cvca), 0x011C, Some(sfi));
        let doc = inspect_image(&img, chain.terminal());
        assert_failed(&doc, why);
        assert_eq!(report(&doc).ef_cvca_location.sfi, Some(sfi));
    }
}

/// The positive side of E_22 and E_23: EF.CVCA elsewhere than 011C / 1C, as DG14 says, by
/// FID and SFI or by FID alone (selected). The reader reads it there.
#[test]
fn iso7816_e_22_e_23_ef_cvca_where_ta_info_puts_it_is_read_there() {
    let chain = Chain::p256("DETESTCVCA00001");
    for (fid, sfi) in [("011A", Some(0x1A)), ("011B", None)] {
        let mut img = passport(&chain.cvca);
        img.eac.as_mut().unwrap().ef_cvca = Some(EfCvcaConfig {
            fid: fid.into(),
            sfi,
        });
        let chip = img.build(&chips()).unwrap();
        let at = chip.files().location(EfId::Cvca);
        assert_eq!(format!("{:04X}", at.fid), fid);
        assert_eq!(chip.files().by_sfi(0x1C, true), None);
        let doc = inspect(chip, chain.terminal());
        assert_successful(&doc);
        let r = report(&doc);
        assert!(r.ef_cvca_named_by_dg14);
        assert_eq!(r.ef_cvca_location, at);
        assert_eq!(r.ef_cvca, [chain.cvca.chr()]);
        assert_mentions(
            &[ta(&doc).detail.clone()],
            "as DG14's TerminalAuthenticationInfo says",
        );
    }
    // An image cannot put EF.CVCA where another file is.
    let mut img = passport(&chain.cvca);
    img.eac.as_mut().unwrap().ef_cvca = Some(EfCvcaConfig {
        fid: "011D".into(),
        sfi: None,
    });
    let e = img.build(&chips()).unwrap_err().to_string();
    assert!(e.contains("EF.SOD"), "{e}");
}

// ---------------------------------------------------------------------------------------------
// The terminal's certificates.

/// The terminal lacks what links its IS certificate to the chip's CVCA: its chain is of
/// another CVCA, or it holds no DV certificate.
#[test]
fn iso7816_e_24_missing_certificates_fail() {
    let chain = Chain::p256("DETESTCVCA00001");
    let img = passport(&chain.cvca);
    let other = Chain::p256("DETESTCVCA00002");
    let doc = inspect_image(&img, other.terminal());
    assert_failed(&doc, "no chain links them");
    let doc = inspect_image(&img, chain.terminal_with(vec![chain.is.clone()]));
    assert_failed(&doc, "start at nothing (no DV certificate)");
}

/// One IS key certified by two countries' DVs (and a third IS certificate for another key):
/// the reader sends the chain of the CVCA the chip trusts, whichever comes first in its list.
#[test]
fn iso7816_e_25_the_reader_chooses_among_several_certificates() {
    let de = Chain::p256("DETESTCVCA00001");
    let fr = Chain::p256("FRTESTCVCA00001");
    let is_fr = issue(
        fr.dv.chr(),
        "FRTESTISDE00001",
        Role::Terminal,
        (true, true),
        eff(),
        day(14),
        &de.is_key,
        &fr.dv_key,
    );
    let held = vec![
        de.dv.clone(),
        de.is.clone(),
        fr.dv.clone(),
        is_fr.clone(),
        fr.is.clone(), // fr's own IS key: not the terminal's
    ];
    for (cvca, dv, is) in [(&de.cvca, &de.dv, &de.is), (&fr.cvca, &fr.dv, &is_fr)] {
        let doc = inspect_image(&passport(cvca), de.terminal_with(held.clone()));
        assert_successful(&doc);
        let r = report(&doc);
        assert_eq!(r.trust_point.as_deref(), Some(cvca.chr()));
        assert_eq!(r.chain, [dv.chr(), is.chr()]);
        assert_mentions(
            &[ta(&doc).detail.clone()],
            "left out: they certify another key",
        );
    }
}

/// Not in the plan: the terminal holds last year's IS certificate after this month's (same DV,
/// same key); the reader sends the one valid today.
#[test]
fn an_expired_is_certificate_is_passed_over_for_a_valid_one() {
    let chain = Chain::p256("DETESTCVCA00001");
    let old = chain.is_with(day(-30), day(-1));
    let img = passport(&chain.cvca);
    let doc = inspect_image(
        &img,
        chain.terminal_with(vec![chain.dv.clone(), chain.is.clone(), old.clone()]),
    );
    assert_successful(&doc);
    // Only expired ones: the reader sends it anyway and says so; the chip refuses it.
    let doc = inspect_image(&img, chain.terminal_with(vec![chain.dv.clone(), old]));
    assert_failed(&doc, "is not valid today");
}

// ---------------------------------------------------------------------------------------------
// Trust anchor updates.

/// A link certificate: `new_key` as CVCA `new_chr`, signed with the previous CVCA's key.
fn link(
    previous: &Cvc,
    previous_key: &CvSigningKey,
    new_chr: &str,
    new_key: &CvSigningKey,
    from: i64,
) -> Cvc {
    issue(
        previous.chr(),
        new_chr,
        Role::Cvca,
        (true, true),
        day(from),
        day(from + 90),
        new_key,
        previous_key,
    )
}

/// CVCA_Cert_01 nearly expired, CVCA keys 2 and 3 with link certificates, and the chain (DV_16,
/// IS_16) under the newest one.
struct Rollover {
    cvca: Cvc,
    links: Vec<Cvc>,
    newest: Chain,
}

fn rollover(links: usize) -> Rollover {
    let old = Chain::p256("DETESTCVCA00001");
    let cvca = issue(
        old.cvca.chr(),
        old.cvca.chr(),
        Role::Cvca,
        (true, true),
        day(-300),
        day(1),
        &old.cvca_key,
        &old.cvca_key,
    );
    let mut certs = vec![];
    let (mut prev, mut prev_key) = (cvca.clone(), copy_key(&old.cvca_key));
    let mut newest = old;
    for i in 0..links {
        newest = Chain::p256(&format!("DETESTCVCA0000{}", i + 2));
        let l = link(
            &prev,
            &prev_key,
            newest.cvca.chr(),
            &newest.cvca_key,
            i as i64 - 1,
        );
        certs.push(l.clone());
        (prev, prev_key) = (l, copy_key(&newest.cvca_key));
    }
    Rollover {
        cvca,
        links: certs,
        newest,
    }
}

/// One chip shared by several inspections (its trust points persist).
struct Shared(Rc<RefCell<InMemory<dactyl::emulator::VirtualChip>>>);

impl Transport for Shared {
    fn transmit_raw(&mut self, apdu: &[u8]) -> dactyl::Result<Vec<u8>> {
        self.0.borrow_mut().transmit_raw(apdu)
    }
    fn atr(&self) -> Vec<u8> {
        self.0.borrow().atr()
    }
    fn describe(&self) -> String {
        "shared in-memory chip".into()
    }
}

/// Inspects the shared chip (after a reset, as a new session does).
fn inspect_shared(
    chip: &Rc<RefCell<InMemory<dactyl::emulator::VirtualChip>>>,
    terminal: dactyl::reader::authenticity::TerminalCredentials,
) -> dactyl::reader::Document {
    chip.borrow_mut().card_mut().reset();
    inspect_with(Box::new(Shared(chip.clone())), terminal)
}

/// The chip trusts CVCA_Cert_01 (its date before the link certificate's); the terminal holds
/// CVCA_Link_16, DV_Cert_16 and IS_Cert_16. The reader sends the link first; the chip's next
/// EF.CVCA names the new CVCA, and the next inspection needs no link.
#[test]
fn iso7816_e_32_a_trust_anchor_update_with_a_link_certificate() {
    let r = rollover(1);
    let mut img = passport(&r.cvca);
    set_date(&mut img, day(-2));
    let held = [
        r.links.clone(),
        vec![r.newest.dv.clone(), r.newest.is.clone()],
    ]
    .concat();
    let chip = Rc::new(RefCell::new(InMemory::new(img.build(&chips()).unwrap())));
    let doc = inspect_shared(&chip, r.newest.terminal_with(held.clone()));
    assert_successful(&doc);
    let report1 = report(&doc);
    assert_eq!(report1.ef_cvca, ["DETESTCVCA00001"]);
    assert_eq!(report1.trust_point.as_deref(), Some("DETESTCVCA00001"));
    assert_eq!(
        report1.chain,
        ["DETESTCVCA00002", r.newest.dv.chr(), r.newest.is.chr()]
    );
    assert_eq!(status(&doc, "DG3").as_deref(), Some("read"));
    // The link and DV certificates moved the chip's date on (to DV_Cert_16's effective date).
    assert_eq!(chip.borrow().card().current_date(), Some(eff()));

    let doc = inspect_shared(&chip, r.newest.terminal_with(held));
    assert_successful(&doc);
    let report2 = report(&doc);
    assert_eq!(report2.ef_cvca, ["DETESTCVCA00002", "DETESTCVCA00001"]);
    assert_eq!(report2.trust_point.as_deref(), Some("DETESTCVCA00002"));
    assert_eq!(report2.chain, [r.newest.dv.chr(), r.newest.is.chr()]);
}

/// Two link certificates in a row (CVCA_Link_16, CVCA_Link_17): both are sent, in order.
#[test]
fn iso7816_e_33_two_trust_anchor_updates() {
    let r = rollover(2);
    let mut img = passport(&r.cvca);
    set_date(&mut img, day(-2));
    let held = [
        vec![r.newest.dv.clone()],
        r.links.iter().rev().cloned().collect(), // any order
        vec![r.newest.is.clone()],
    ]
    .concat();
    let chip = Rc::new(RefCell::new(InMemory::new(img.build(&chips()).unwrap())));
    let doc = inspect_shared(&chip, r.newest.terminal_with(held.clone()));
    assert_successful(&doc);
    assert_eq!(
        report(&doc).chain,
        [
            "DETESTCVCA00002",
            "DETESTCVCA00003",
            r.newest.dv.chr(),
            r.newest.is.chr()
        ]
    );
    let doc = inspect_shared(&chip, r.newest.terminal_with(held));
    assert_successful(&doc);
    assert_eq!(report(&doc).ef_cvca, ["DETESTCVCA00003", "DETESTCVCA00002"]);
    assert_eq!(report(&doc).chain.len(), 2);
}

/// The chip already trusts the new CVCA (EF.CVCA names the link certificate's CHR), alone or
/// with the old one: the link certificate the terminal holds is not sent.
#[test]
fn iso7816_e_34_an_offered_but_unneeded_trust_anchor_update() {
    let r = rollover(1);
    let held = [
        r.links.clone(),
        vec![r.newest.dv.clone(), r.newest.is.clone()],
    ]
    .concat();
    for previous in [None, Some(&r.cvca)] {
        let mut img = passport(&r.links[0]);
        let eac = img.eac.as_mut().unwrap();
        eac.previous_cvca = previous.map(|c| FileSource::Hex(hex::encode(c.raw())));
        let doc = inspect_image(&img, r.newest.terminal_with(held.clone()));
        assert_successful(&doc);
        let rep = report(&doc);
        assert_eq!(rep.ef_cvca[0], "DETESTCVCA00002");
        assert_eq!(rep.ef_cvca.len(), 1 + usize::from(previous.is_some()));
        assert_eq!(rep.trust_point.as_deref(), Some("DETESTCVCA00002"));
        assert_eq!(rep.chain, [r.newest.dv.chr(), r.newest.is.chr()]);
    }
}
