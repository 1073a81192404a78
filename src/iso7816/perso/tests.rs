//! The personalization commands byte for byte, against constants written from the JMRTD
//! applet's coding as the issue tracker's table gives it, and back through the chip's parser.

use super::*;

/// The refusal's kind (the virtual chip maps it to the status word in the comment next to it).
fn kind<T>(r: ChipResult<T>) -> std::result::Result<T, Refusal> {
    r.map_err(|e| e.kind)
}

fn bytes(cmd: &Command) -> Vec<u8> {
    cmd.to_bytes().unwrap()
}

fn hex(s: &str) -> Vec<u8> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn create_file_coding() {
    let c = CreateFile {
        fid: 0x0103,
        size: 0x2710,
    };
    assert_eq!(bytes(&c.command()), hex("00 E0 00 00 06 63 04 27 10 01 03"));
    assert_eq!(CreateFile::parse(&c.command()), Ok(c));
    // 6700 for Lc < 6, 6984 for another tag.
    let short = Command::new(0, INS_CREATE_FILE, 0, 0).with_data(hex("63 04 27 10 01"));
    assert_eq!(kind(CreateFile::parse(&short)), Err(Refusal::WrongLength));
    let other = Command::new(0, INS_CREATE_FILE, 0, 0).with_data(hex("62 04 27 10 01 03"));
    assert_eq!(kind(CreateFile::parse(&other)), Err(Refusal::DataInvalid));
    let p1p2 = Command::new(0, INS_CREATE_FILE, 1, 0).with_data(hex("63 04 27 10 01 03"));
    assert_eq!(kind(CreateFile::parse(&p1p2)), Err(Refusal::WrongP1P2));
}

#[test]
fn update_binary_coding() {
    let u = UpdateBinary {
        offset: 0x01F4,
        data: hex("01 02 03"),
    };
    assert_eq!(bytes(&u.command().unwrap()), hex("00 D6 01 F4 03 01 02 03"));
    assert_eq!(UpdateBinary::parse(&u.command().unwrap()), Ok(u));
    let top = UpdateBinary {
        offset: 0x7FFF,
        data: vec![0xAA],
    };
    assert_eq!(bytes(&top.command().unwrap()), hex("00 D6 7F FF 01 AA"));
    // Beyond 7FFF: odd INS D7, offset in DO 54, data in DO 53.
    let far = UpdateBinary {
        offset: 0x8000,
        data: hex("0A 0B"),
    };
    assert_eq!(
        bytes(&far.command().unwrap()),
        hex("00 D7 00 00 08 54 02 80 00 53 02 0A 0B")
    );
    assert_eq!(
        UpdateBinary::parse(&far.command().unwrap()),
        Ok(far.clone())
    );
    assert_eq!(
        UpdateBinary::odd_overhead(0x8000, 2),
        far.command().unwrap().data.len() - 2
    );
    // A short EF identifier in P1, empty data, odd without DO 54: refused.
    let sfi = Command::new(0, INS_UPDATE_BINARY, 0x81, 0).with_data(vec![1]);
    assert_eq!(kind(UpdateBinary::parse(&sfi)), Err(Refusal::WrongP1P2));
    let empty = Command::new(0, INS_UPDATE_BINARY, 0, 0);
    assert_eq!(kind(UpdateBinary::parse(&empty)), Err(Refusal::WrongLength));
    let no54 = Command::new(0, INS_UPDATE_BINARY_ODD, 0, 0).with_data(hex("53 01 00"));
    assert_eq!(kind(UpdateBinary::parse(&no54)), Err(Refusal::WrongData));
    assert!(
        UpdateBinary {
            offset: 0,
            data: vec![]
        }
        .command()
        .is_err()
    );
}

#[test]
fn put_data_bac_seed_coding() {
    let seed = PutData::BacKeySeed {
        document_number: "L898902C".into(),
        date_of_birth: "690806".into(),
        date_of_expiry: "940623".into(),
    };
    // 62 L {04 09 <number with filler> 04 06 <birth> 04 06 <expiry>}
    let want = hex("00 DA 00 62 1D 62 1B 04 09 4C 38 39 38 39 30 32 43 3C \
         04 06 36 39 30 38 30 36 04 06 39 34 30 36 32 33");
    assert_eq!(bytes(&seed.command().unwrap()), want);
    let back = PutData::parse(&seed.command().unwrap()).unwrap();
    assert_eq!(
        back,
        PutData::BacKeySeed {
            document_number: "L898902C<".into(),
            date_of_birth: "690806".into(),
            date_of_expiry: "940623".into(),
        }
    );
    assert!(
        PutData::BacKeySeed {
            document_number: "L898902C".into(),
            date_of_birth: "69086".into(),
            date_of_expiry: "940623".into(),
        }
        .command()
        .is_err()
    );
}

#[test]
fn put_data_rsa_key_parts_use_the_applets_zero_outer_length() {
    let modulus: Vec<u8> = (0..128u8).map(|i| i | 0x80).collect();
    let cmd = PutData::AaRsaModulus(modulus.clone()).command().unwrap();
    let mut want = hex("00 DA 00 60 85 60 00 04 81 80");
    want.extend(&modulus);
    assert_eq!(bytes(&cmd), want);
    assert_eq!(
        PutData::parse(&cmd),
        Ok(PutData::AaRsaModulus(modulus.clone()))
    );
    let exponent = Zeroizing::new(vec![0x11; 128]);
    let cmd = PutData::AaRsaPrivateExponent(exponent.clone())
        .command()
        .unwrap();
    assert_eq!(bytes(&cmd)[..10], hex("00 DA 00 61 85 61 00 04 81 80")[..]);
    assert_eq!(
        PutData::parse(&cmd),
        Ok(PutData::AaRsaPrivateExponent(exponent))
    );
    // A correct outer length is accepted too; another outer tag is not.
    let mut proper = hex("60 81 83 04 81 80");
    proper.extend(&modulus);
    let c = Command::new(0, INS_PUT_DATA, 0, 0x60).with_data(proper);
    assert_eq!(PutData::parse(&c), Ok(PutData::AaRsaModulus(modulus)));
    let c = Command::new(0, INS_PUT_DATA, 0, 0x60).with_data(hex("61 00 04 01 05"));
    assert_eq!(kind(PutData::parse(&c)), Err(Refusal::WrongData));
}

#[test]
fn put_data_cvca_slots_and_lock() {
    let cert = hex("7F 21 03 7F 4E 00");
    for slot in [1u8, 2] {
        let p = PutData::TrustedCvca {
            slot,
            certificate: cert.clone(),
        };
        let mut want = vec![0x00, 0xDA, slot, 0x64, 0x06];
        want.extend(&cert);
        assert_eq!(bytes(&p.command().unwrap()), want);
        assert_eq!(PutData::parse(&p.command().unwrap()), Ok(p));
    }
    assert!(
        PutData::TrustedCvca {
            slot: 3,
            certificate: cert
        }
        .command()
        .is_err()
    );
    assert_eq!(bytes(&PutData::Lock.command().unwrap()), hex("00 DA DE AD"));
    assert_eq!(
        PutData::parse(&Command::new(0, INS_PUT_DATA, 0xDE, 0xAD)),
        Ok(PutData::Lock)
    );
}

#[test]
fn lock_with_the_personalization_digest_coding() {
    let digest: [u8; 32] = std::array::from_fn(|i| i as u8);
    let lock = PutData::LockWithDigest(digest);
    let want = hex("00 DA DE AD 22 DC 20 \
         00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F \
         10 11 12 13 14 15 16 17 18 19 1A 1B 1C 1D 1E 1F");
    assert_eq!(bytes(&lock.command().unwrap()), want);
    assert_eq!(PutData::parse(&lock.command().unwrap()), Ok(lock));
    // Another tag, a short digest, trailing bytes: refused, never taken for a plain lock.
    for bad in ["90 20", "DC 1F", "DC 21"] {
        let mut data = hex(bad);
        data.extend([0u8; 31]);
        let cmd = Command::new(0, INS_PUT_DATA, 0xDE, 0xAD).with_data(data);
        assert_eq!(kind(PutData::parse(&cmd)), Err(Refusal::WrongData), "{bad}");
    }
}

#[test]
fn dactyls_own_objects_use_p1_dc_which_the_applet_leaves_free() {
    // The applet's PUT DATA objects: P1 00 with P2 60-67, P1 01/02 with P2 64, DE AD.
    let cases = [
        (
            PutData::Can("123456".into()),
            "00 DA DC 01 06 31 32 33 34 35 36",
        ),
        (
            PutData::ChipAuthenticationKey(ChipEcKey {
                parameter_id: 13,
                scalar: Zeroizing::new(vec![0x01, 0x02]),
                key_id: Some(1),
            }),
            "00 DA DC 03 0A 80 01 0D 81 02 01 02 84 01 01",
        ),
        (
            PutData::ActiveAuthenticationEcKey(ChipEcKey {
                parameter_id: 12,
                scalar: Zeroizing::new(vec![0x7F]),
                key_id: None,
            }),
            "00 DA DC 04 06 80 01 0C 81 01 7F",
        ),
        (
            PutData::CurrentDate([2, 6, 1, 1, 2, 9]),
            "00 DA DC 05 06 02 06 01 01 02 09",
        ),
        (
            PutData::BiometricReference(super::ReferenceObject {
                qualifier: 0x82,
                subtype: 0x06,
                threshold: 300,
                minutiae: Zeroizing::new(vec![0x33, 0x07, 0x5C]),
            }),
            "00 DA DC 82 0C 82 01 06 84 02 01 2C 81 03 33 07 5C",
        ),
    ];
    for (p, want) in cases {
        let cmd = p.command().unwrap();
        assert_eq!(bytes(&cmd), hex(want), "{p:?}");
        assert_eq!(PutData::parse(&cmd), Ok(p));
    }
    // Start over: DC 00 without data.
    assert_eq!(
        bytes(&PutData::StartOver.command().unwrap()),
        hex("00 DA DC 00")
    );
    assert_eq!(
        PutData::parse(&Command::new(0, INS_PUT_DATA, 0xDC, 0x00)),
        Ok(PutData::StartOver)
    );
    let with_data = Command::new(0, INS_PUT_DATA, 0xDC, 0x00).with_data(vec![0]);
    assert_eq!(kind(PutData::parse(&with_data)), Err(Refusal::WrongLength));
    // Unknown objects, bad data, missing data.
    let unknown = Command::new(0, INS_PUT_DATA, 0xDC, 0x7E).with_data(vec![1]);
    assert_eq!(kind(PutData::parse(&unknown)), Err(Refusal::WrongP1P2));
    // DC 02 (once PACE's domain) is unused: the chip takes its PACE suites from EF.CardAccess.
    let pace_domain = Command::new(0, INS_PUT_DATA, 0xDC, 0x02).with_data(vec![13]);
    assert_eq!(kind(PutData::parse(&pace_domain)), Err(Refusal::WrongP1P2));
    let applet_only = Command::new(0, INS_PUT_DATA, 0x00, 0x65).with_data(vec![1]);
    assert_eq!(kind(PutData::parse(&applet_only)), Err(Refusal::WrongP1P2));
    let bad_can = Command::new(0, INS_PUT_DATA, 0xDC, 0x01).with_data(b"12A4".to_vec());
    assert_eq!(kind(PutData::parse(&bad_can)), Err(Refusal::WrongData));
    let no_scalar = Command::new(0, INS_PUT_DATA, 0xDC, 0x03).with_data(hex("80 01 0D"));
    assert_eq!(kind(PutData::parse(&no_scalar)), Err(Refusal::WrongData));
    // A reference: minutiae not in threes, no subtype, a qualifier outside 81..8F.
    let ragged =
        Command::new(0, INS_PUT_DATA, 0xDC, 0x81).with_data(hex("82 01 05 84 01 28 81 02 01 02"));
    assert_eq!(kind(PutData::parse(&ragged)), Err(Refusal::WrongData));
    let no_subtype =
        Command::new(0, INS_PUT_DATA, 0xDC, 0x81).with_data(hex("84 01 28 81 03 01 02 03"));
    assert_eq!(kind(PutData::parse(&no_subtype)), Err(Refusal::WrongData));
    let outside = Command::new(0, INS_PUT_DATA, 0xDC, 0x90)
        .with_data(hex("82 01 05 84 01 28 81 03 01 02 03"));
    assert_eq!(kind(PutData::parse(&outside)), Err(Refusal::WrongP1P2));
    let reference = PutData::BiometricReference(super::ReferenceObject {
        qualifier: 0x81,
        subtype: 0x05,
        threshold: 40,
        minutiae: Zeroizing::new(vec![0xAB; 3]),
    });
    assert!(!format!("{reference:?}").contains("171"), "{reference:?}");
    let empty = Command::new(0, INS_PUT_DATA, 0x00, 0x62);
    assert_eq!(kind(PutData::parse(&empty)), Err(Refusal::WrongLength));
    // Secrets stay out of Debug.
    let key = PutData::ChipAuthenticationKey(ChipEcKey {
        parameter_id: 13,
        scalar: Zeroizing::new(vec![0xAB; 32]),
        key_id: None,
    });
    assert!(!format!("{key:?}").contains("171"), "{key:?}");
    assert!(format!("{:?}", PutData::Can("123456".into())).contains("<secret>"));
}

#[test]
fn hostile_input_is_refused_not_panicking() {
    for ins in [
        INS_CREATE_FILE,
        INS_UPDATE_BINARY,
        INS_UPDATE_BINARY_ODD,
        INS_PUT_DATA,
    ] {
        for p1 in [0x00, 0x01, 0x02, 0x80, 0xDC, 0xDE] {
            for p2 in [0x00, 0x01, 0x03, 0x05, 0x60, 0x61, 0x62, 0x64, 0xAD] {
                for data in [
                    vec![],
                    vec![0xFF],
                    hex("62 81"),
                    hex("54 04 01 02 03 04 53 00"),
                    hex("60 00 04 85 FF FF FF FF FF"),
                    hex("62 06 04 09 41"),
                ] {
                    let cmd = Command::new(0, ins, p1, p2).with_data(data);
                    let _ = CreateFile::parse(&cmd);
                    let _ = UpdateBinary::parse(&cmd);
                    let _ = PutData::parse(&cmd);
                }
            }
        }
    }
}
