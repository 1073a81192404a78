//! Passive Authentication on the quirks real documents carry (ICAO Doc 9303-10 clause 4.6.2,
//! 9303-12; RFC 5652, RFC 5280): each SOD or DSC here is made by dactyl's own issuer side with
//! one quirk seen on real passports and ID cards, and PA must accept it with a warning (or fail
//! closed where the quirk touches authenticity).

use dactyl::asn1;
use dactyl::crypto::signing_key::{KeyAlgorithm, SigningKey};
use dactyl::issuance::certificates::{CertificateSpec, build_certificate, key_identifier};
use dactyl::issuance::sod_signer::{SodOptions, SodQuirks, sign_sod};
use dactyl::issuance::test_pki::{PkiOptions, TestPki};
use dactyl::lds::sod::{Sod, data_group_number};
use dactyl::pki::cert::Certificate;
use dactyl::pki::pa::{PaInput, PaReport, Verdict};
use dactyl::pki::trust::TrustStore;
use dactyl::reader::pa::passive_authentication;
use dactyl::time::Time;
use std::collections::BTreeMap;

const DAY: i64 = 86_400;

struct Issuer {
    pki: TestPki,
    dgs: BTreeMap<u8, Vec<u8>>,
    trust: TrustStore,
    now: Time,
}

fn issuer() -> Issuer {
    let now = Time::now();
    let pki = TestPki::generate(&PkiOptions {
        country: "UT".into(),
        algorithm: KeyAlgorithm::P256,
        now: Time {
            unix: now.unix - DAY,
        },
    })
    .unwrap();
    let dgs: BTreeMap<u8, Vec<u8>> = [
        (1, vec![0x61, 0x03, 0x5F, 0x1F, 0x00]),
        (2, vec![0x75, 0x02, 0xAB, 0xCD]),
    ]
    .into();
    let mut trust = TrustStore::new();
    trust.add_csca(pki.csca.clone());
    Issuer {
        pki,
        dgs,
        trust,
        now,
    }
}

impl Issuer {
    fn sign(&self, quirks: SodQuirks) -> Vec<u8> {
        self.sign_with(&self.pki.ds, &self.pki.ds_key, quirks)
    }

    fn sign_with(&self, dsc: &Certificate, key: &SigningKey, quirks: SodQuirks) -> Vec<u8> {
        let opts = SodOptions {
            quirks,
            ..SodOptions::new(self.now)
        };
        sign_sod(&self.dgs, dsc, key, &opts).unwrap()
    }

    fn pa_with(&self, sod: &[u8], dgs: &BTreeMap<u8, Vec<u8>>) -> PaReport {
        let input = PaInput {
            sod,
            data_groups: dgs,
            com_data_groups: None,
            issuing_state: Some("UTO"),
            dsc: None,
            now: self.now,
            require_crl: false,
        };
        passive_authentication(&input, &self.trust)
    }

    fn pa(&self, sod: &[u8]) -> PaReport {
        self.pa_with(sod, &self.dgs)
    }

    /// A Document Signer certificate under the test CSCA with extra extensions.
    fn dsc_with(&self, extra: Vec<(String, bool, Vec<u8>)>) -> (Certificate, SigningKey) {
        let key = SigningKey::generate(KeyAlgorithm::P256).unwrap();
        let spec = CertificateSpec {
            subject: self.pki.ds.subject.raw.clone(),
            issuer: self.pki.csca.subject.raw.clone(),
            serial: vec![0x33],
            not_before: self.pki.ds.not_before,
            not_after: self.pki.ds.not_after,
            spki: key.public_spki().unwrap(),
            ca: false,
            authority_key_id: Some(key_identifier(&self.pki.csca.spki).unwrap()),
            extra_extensions: extra,
        };
        let der = build_certificate(&spec, &self.pki.csca_key).unwrap();
        (Certificate::from_der(&der).unwrap(), key)
    }
}

fn check<'a>(r: &'a PaReport, name: &str) -> &'a dactyl::pki::pa::Check {
    r.check(name)
        .unwrap_or_else(|| panic!("no check {name:?} in {:#?}", r.checks))
}

fn warnings(r: &PaReport) -> String {
    r.warnings()
        .iter()
        .map(|c| format!("{}: {}", c.name, c.detail))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A Name from (OID hex, string tag, value), one attribute per RDN.
fn name(parts: &[(&str, u8, &str)]) -> Vec<u8> {
    let rdns: Vec<u8> = parts
        .iter()
        .flat_map(|(oid, t, v)| {
            let atv = asn1::sequence(&[
                &asn1::encode(0x06, &hex::decode(oid).unwrap()),
                &asn1::encode(*t, v.as_bytes()),
            ]);
            asn1::encode(0x31, &atv)
        })
        .collect();
    asn1::encode(0x30, &rdns)
}

#[test]
fn a_conforming_sod_passes_without_warnings() {
    let i = issuer();
    let r = i.pa(&i.sign(SodQuirks::default()));
    assert!(r.passed, "{:#?}", r.checks);
    assert!(r.warnings().is_empty(), "{}", warnings(&r));
}

#[test]
fn no_signing_time_is_info_and_pa_passes_on_dsc_valid_now() {
    let i = issuer();
    let sod = i.sign(SodQuirks {
        no_signing_time: true,
        ..SodQuirks::default()
    });
    let r = i.pa(&sod);
    assert!(r.passed, "{:#?}", r.checks);
    assert_eq!(r.signing_time, None);
    assert_eq!(
        check(&r, "DSC valid at signing time").verdict,
        Verdict::Info
    );
    assert_eq!(check(&r, "DSC valid now").verdict, Verdict::Pass);
    // Relying on "valid now" is no blank cheque: a DSC that is not valid now still fails.
    let later = Time {
        unix: i.pki.ds.not_after.unix + DAY,
    };
    let input = PaInput {
        sod: &sod,
        data_groups: &i.dgs,
        com_data_groups: None,
        issuing_state: Some("UTO"),
        dsc: None,
        now: later,
        require_crl: false,
    };
    let r = passive_authentication(&input, &i.trust);
    assert_eq!(check(&r, "DSC valid now").verdict, Verdict::Fail);
    assert!(!r.passed);
}

#[test]
fn signer_issuer_in_another_rdn_order_string_type_and_case_matches_with_a_warning() {
    let i = issuer();
    // The CSCA's subject is C=UT (PrintableString), O=dactyl test PKI, CN=dactyl TEST CSCA
    // (UTF8String); the SignerInfo writes it backwards, as PrintableStrings, in other case and
    // spacing.
    let reencoded = name(&[
        ("550403", 0x13, "DACTYL  test csca"),
        ("55040A", 0x13, " Dactyl Test PKI"),
        ("550406", 0x13, "ut"),
    ]);
    let sod = i.sign(SodQuirks {
        signer_issuer: Some(reencoded),
        ..SodQuirks::default()
    });
    let r = i.pa(&sod);
    assert!(r.passed, "{:#?}", r.checks);
    let w = check(&r, "signer identifier");
    assert_eq!(w.verdict, Verdict::Warning);
    assert!(w.detail.contains("normalisation"), "{}", w.detail);
}

#[test]
fn signer_issuer_naming_another_ca_matches_by_serial_and_signature_only() {
    let i = issuer();
    let other = name(&[("550406", 0x13, "UT"), ("550403", 0x0C, "Some Other CA")]);
    let sod = i.sign(SodQuirks {
        signer_issuer: Some(other.clone()),
        ..SodQuirks::default()
    });
    let r = i.pa(&sod);
    assert!(r.passed, "{:#?}", r.checks);
    let w = check(&r, "signer identifier");
    assert_eq!(w.verdict, Verdict::Warning);
    assert!(
        w.detail.contains("serial number and signature"),
        "{}",
        w.detail
    );

    // Same serial and name, but signed by a key that is not the DSC's: no DSC is found.
    let stranger = SigningKey::generate(KeyAlgorithm::P256).unwrap();
    let sod = i.sign_with(
        &i.pki.ds,
        &stranger,
        SodQuirks {
            signer_issuer: Some(other),
            ..SodQuirks::default()
        },
    );
    let r = i.pa(&sod);
    assert_eq!(
        check(&r, "Document Signer certificate").verdict,
        Verdict::Fail
    );
    assert!(!r.passed);
}

/// ICAO documentTypeList (2.23.136.1.1.6.2) as seen on a real DSC: the SET of document types
/// without the version INTEGER in front.
fn versionless_document_type_list() -> Vec<u8> {
    asn1::sequence(&[&asn1::encode(0x31, &asn1::encode(0x13, b"P"))])
}

#[test]
fn a_non_critical_extension_that_does_not_parse_is_kept_raw_with_a_warning() {
    let i = issuer();
    let (dsc, key) = i.dsc_with(vec![(
        "2.23.136.1.1.6.2".into(),
        false,
        versionless_document_type_list(),
    )]);
    assert_eq!(dsc.extensions.document_types, None);
    assert_eq!(dsc.extensions.unparsed.len(), 1);
    assert!(dsc.extensions.unknown_critical.is_empty());
    let r = i.pa(&i.sign_with(&dsc, &key, SodQuirks::default()));
    assert!(r.passed, "{:#?}", r.checks);
    let w = check(&r, "DSC encoding");
    assert_eq!(w.verdict, Verdict::Warning);
    assert!(w.detail.contains("documentTypeList"), "{}", w.detail);

    // The conforming form still parses.
    let (dsc, _) = i.dsc_with(vec![(
        "2.23.136.1.1.6.2".into(),
        false,
        asn1::sequence(&[
            &asn1::encode_uint(&[0]),
            &asn1::encode(0x31, &asn1::encode(0x13, b"P")),
        ]),
    )]);
    assert_eq!(dsc.extensions.document_types, Some(vec!["P".to_string()]));
    assert!(dsc.warnings.is_empty(), "{:?}", dsc.warnings);
}

#[test]
fn critical_extensions_that_do_not_parse_or_are_unknown_fail_the_chain() {
    let i = issuer();
    for (oid, value) in [
        ("2.23.136.1.1.6.2", versionless_document_type_list()),
        ("1.3.6.1.4.1.99999.1", vec![0x05, 0x00]),
    ] {
        let (dsc, key) = i.dsc_with(vec![(oid.into(), true, value)]);
        assert_eq!(dsc.extensions.unknown_critical.len(), 1, "{oid}");
        let r = i.pa(&i.sign_with(&dsc, &key, SodQuirks::default()));
        assert_eq!(check(&r, "signature").verdict, Verdict::Pass, "{oid}");
        let chain = check(&r, "certificate chain");
        assert_eq!(chain.verdict, Verdict::Fail, "{oid}");
        assert!(chain.detail.contains(oid), "{}", chain.detail);
        assert!(!r.passed, "{oid}");
    }
}

#[test]
fn data_group_numbers_in_the_sfi_form_map_to_their_data_group_with_a_warning() {
    let i = issuer();
    let sod = i.sign(SodQuirks {
        sfi_data_group_numbers: true,
        ..SodQuirks::default()
    });
    // DG1 is written as INTEGER 0x81 (DER: -127).
    assert!(sod.windows(3).any(|w| w == [0x02, 0x01, 0x81]));
    let parsed = Sod::parse(&sod).unwrap();
    assert_eq!(
        parsed.lds.hashes.keys().copied().collect::<Vec<_>>(),
        vec![1, 2]
    );
    assert_eq!(parsed.lds.warnings.len(), 2, "{:?}", parsed.lds.warnings);
    assert!(parsed.lds.warnings[0].contains("-127"));
    let r = i.pa(&sod);
    assert!(r.passed, "{:#?}", r.checks);
    assert_eq!(check(&r, "SOD encoding").verdict, Verdict::Warning);
    assert_eq!(check(&r, "DG1 hash").verdict, Verdict::Pass);
}

#[test]
fn data_group_number_mapping_is_exact() {
    assert_eq!(data_group_number(&[1]), Some((1, false)));
    assert_eq!(data_group_number(&[16]), Some((16, false)));
    assert_eq!(data_group_number(&[0x81]), Some((1, true)));
    assert_eq!(data_group_number(&[0x8E]), Some((14, true)));
    assert_eq!(data_group_number(&[0x90]), Some((16, true)));
    for bad in [
        &[0x00][..],
        &[17],
        &[0x80],
        &[0x91],
        &[0xFF],
        &[0x00, 0x81],
        &[0x00, 0x01],
        &[],
    ] {
        assert_eq!(data_group_number(bad), None, "{bad:02X?}");
    }
}

#[test]
fn pa_without_data_groups_names_the_reason() {
    let i = issuer();
    let sod = i.sign(SodQuirks::default());
    let r = i.pa_with(&sod, &BTreeMap::new());
    assert!(!r.passed);
    let failed: Vec<&str> = r.failures().iter().map(|c| c.name.as_str()).collect();
    assert_eq!(failed, vec!["data group hashes"], "{:#?}", r.checks);
    assert!(
        check(&r, "data group hashes")
            .detail
            .contains("no data group")
    );
    // A data group that does not match names both.
    let mut dgs = i.dgs.clone();
    dgs.remove(&2);
    dgs.insert(1, vec![0x61, 0x00]);
    let r = i.pa_with(&sod, &dgs);
    let failed: Vec<&str> = r.failures().iter().map(|c| c.name.as_str()).collect();
    assert_eq!(failed, vec!["DG1 hash", "data group hashes"]);
}

#[test]
fn off_spec_fields_outside_the_signature_are_accepted_as_warnings() {
    let i = issuer();
    let sod = i.sign(SodQuirks {
        signed_data_version: Some(1),
        signer_info_version: Some(3),
        empty_digest_algorithms: true,
        ..SodQuirks::default()
    });
    let r = i.pa(&sod);
    assert!(r.passed, "{:#?}", r.checks);
    let w = warnings(&r);
    assert!(w.contains("SignedData version is 1"), "{w}");
    assert!(w.contains("SignerInfo version is 3"), "{w}");
    assert!(w.contains("digestAlgorithms is empty"), "{w}");
    assert_eq!(r.warnings().len(), 3, "{w}");
}

#[test]
fn a_signature_bit_string_with_unused_bits_is_a_warning() {
    let i = issuer();
    let raw = &i.pki.ds.raw;
    // The signatureValue BIT STRING is the last element: 03 len 00 <signature>.
    let sig_len = i.pki.ds.signature.len() + 1;
    let pos = raw.len() - sig_len;
    assert_eq!(raw[pos], 0);
    let mut patched = raw.clone();
    patched[pos] = 3;
    let cert = Certificate::from_der(&patched).unwrap();
    assert!(
        cert.warnings.iter().any(|w| w.contains("3 unused bits")),
        "{:?}",
        cert.warnings
    );
    assert!(i.pki.ds.warnings.is_empty());
}
