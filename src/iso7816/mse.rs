//! MANAGE SECURITY ENVIRONMENT (ISO/IEC 7816-4:2020 clause 11.5.1), the Set variants eMRTDs use,
//! both roles: MSE:Set AT for PACE (ICAO Doc 9303-11 clause 4.4.4.1, P1-P2 C1A4), MSE:Set KAT and
//! MSE:Set AT for Chip Authentication (9303-11 clause 6.2.4, BSI TR-03110-3 clause B.11.1,
//! 41A6 and 41A4), MSE:Set DST and MSE:Set AT for Terminal Authentication (TR-03110-3 clause
//! B.11.4, 81B6 and 81A4).
//!
//! The data field holds control reference data objects ([`DataObjects`]): 80 the cryptographic
//! mechanism (a protocol OID's content octets), 83 a public key or password reference (PACE:
//! 01 MRZ, 02 CAN; TA: a CAR or CHR), 84 a private key or domain parameter reference (PACE: the
//! standardized domain parameter id; CA: the key id), 91 an ephemeral public key (Set KAT).

use super::data_objects::DataObjects;
use super::refusal::{ChipError, ChipResult};
use crate::apdu::Command;

/// The MANAGE SECURITY ENVIRONMENT instruction.
pub const INS: u8 = 0x22;
/// Cryptographic mechanism reference (an OID's content octets).
pub const TAG_MECHANISM: u32 = 0x80;
/// Reference of a public key (CAR, CHR) or of a password (PACE).
pub const TAG_PUBLIC_REFERENCE: u32 = 0x83;
/// Reference of a private key (CA key id) or of domain parameters (PACE parameter id).
pub const TAG_PRIVATE_REFERENCE: u32 = 0x84;
/// An ephemeral public key (MSE:Set KAT).
pub const TAG_EPHEMERAL_KEY: u32 = 0x91;

/// Which MSE:Set a command is (its P1-P2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MseKind {
    /// C1A4: Set AT for PACE (mutual authentication).
    PaceSetAt,
    /// 41A6: Set KAT, Chip Authentication version 1 with 3DES.
    CaSetKat,
    /// 41A4: Set AT for Chip Authentication (then GENERAL AUTHENTICATE).
    CaSetAt,
    /// 81B6: Set DST, the key verifying the next certificate (Terminal Authentication).
    TaSetDst,
    /// 81A4: Set AT for Terminal Authentication (the key EXTERNAL AUTHENTICATE proves).
    TaSetAt,
}

impl MseKind {
    const ALL: [MseKind; 5] = [
        MseKind::PaceSetAt,
        MseKind::CaSetKat,
        MseKind::CaSetAt,
        MseKind::TaSetDst,
        MseKind::TaSetAt,
    ];

    /// P1 and P2.
    pub fn p1p2(self) -> (u8, u8) {
        match self {
            MseKind::PaceSetAt => (0xC1, 0xA4),
            MseKind::CaSetKat => (0x41, 0xA6),
            MseKind::CaSetAt => (0x41, 0xA4),
            MseKind::TaSetDst => (0x81, 0xB6),
            MseKind::TaSetAt => (0x81, 0xA4),
        }
    }

    /// The variant with these P1 and P2, if eMRTDs use it.
    pub fn from_p1p2(p1: u8, p2: u8) -> Option<MseKind> {
        MseKind::ALL.into_iter().find(|k| k.p1p2() == (p1, p2))
    }
}

/// One MSE:Set command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mse {
    /// Which MSE:Set.
    pub kind: MseKind,
    /// The control reference data objects.
    pub data: DataObjects,
}

impl Mse {
    /// PACE's MSE:Set AT: the protocol OID, the password reference and, when given, the
    /// standardized domain parameter id.
    pub fn pace_set_at(protocol: &[u8], password: u8, parameter_id: Option<u8>) -> Mse {
        let data = DataObjects::new()
            .with(TAG_MECHANISM, protocol)
            .with(TAG_PUBLIC_REFERENCE, &[password])
            .with_opt(
                TAG_PRIVATE_REFERENCE,
                parameter_id.as_ref().map(std::slice::from_ref),
            );
        Mse {
            kind: MseKind::PaceSetAt,
            data,
        }
    }

    /// Chip Authentication's MSE:Set KAT: the terminal's ephemeral public key and, when the
    /// chip has several keys, the key reference.
    pub fn ca_set_kat(ephemeral_public: &[u8], key_reference: Option<&[u8]>) -> Mse {
        let data = DataObjects::new()
            .with(TAG_EPHEMERAL_KEY, ephemeral_public)
            .with_opt(TAG_PRIVATE_REFERENCE, key_reference);
        Mse {
            kind: MseKind::CaSetKat,
            data,
        }
    }

    /// Chip Authentication's MSE:Set AT: the protocol OID and, when the chip has several keys,
    /// the key reference.
    pub fn ca_set_at(protocol: &[u8], key_reference: Option<&[u8]>) -> Mse {
        let data = DataObjects::new()
            .with(TAG_MECHANISM, protocol)
            .with_opt(TAG_PRIVATE_REFERENCE, key_reference);
        Mse {
            kind: MseKind::CaSetAt,
            data,
        }
    }

    /// Terminal Authentication's MSE:Set DST naming the key (CAR) that verifies the next
    /// certificate.
    pub fn ta_set_dst(car: &str) -> Mse {
        Mse {
            kind: MseKind::TaSetDst,
            data: DataObjects::new().with(TAG_PUBLIC_REFERENCE, car.as_bytes()),
        }
    }

    /// Terminal Authentication's MSE:Set AT naming the terminal's key (its CHR).
    pub fn ta_set_at(chr: &str) -> Mse {
        Mse {
            kind: MseKind::TaSetAt,
            data: DataObjects::new().with(TAG_PUBLIC_REFERENCE, chr.as_bytes()),
        }
    }

    /// The command APDU (class 00, no Le).
    pub fn to_command(&self) -> Command {
        let (p1, p2) = self.kind.p1p2();
        Command::new(0x00, INS, p1, p2).with_data(self.data.encode())
    }

    /// Chip side: the MSE:Set in `cmd`, wrong P1-P2 for those no eMRTD uses. The data objects are
    /// parsed as far as they go; each protocol decides what it refuses ([`Mse::reference`]).
    pub fn parse(cmd: &Command) -> ChipResult<Mse> {
        let kind = MseKind::from_p1p2(cmd.p1, cmd.p2)
            .ok_or(ChipError::wrong_p1p2("MSE:Set variant no eMRTD uses"))?;
        Ok(Mse {
            kind,
            data: DataObjects::parse(&cmd.data),
        })
    }

    /// Chip side of Terminal Authentication's Set DST and Set AT: the key reference (CAR or
    /// CHR) in the first object, wrong data when that is not a DO 83 with UTF-8 text.
    pub fn reference(data: &[u8]) -> ChipResult<String> {
        let bad = ChipError::wrong_data("no key reference (DO 83) in MSE:Set");
        match DataObjects::parse(data).objects.into_iter().next() {
            Some((TAG_PUBLIC_REFERENCE, v)) => String::from_utf8(v).map_err(|_| bad),
            _ => Err(bad),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iso7816::refusal::Refusal;

    const PACE_OID: [u8; 10] = [0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x04, 0x02, 0x02];

    #[test]
    fn terminal_commands_parse_back_on_the_chip() {
        for (mse, wire) in [
            (
                Mse::pace_set_at(&PACE_OID, 0x01, Some(13)),
                "0022C1A412800A04007F0007020204020283010184010D",
            ),
            (
                Mse::pace_set_at(&PACE_OID, 0x02, None),
                "0022C1A40F800A04007F00070202040202830102",
            ),
            (
                Mse::ca_set_kat(&[0x04; 3], Some(&[1])),
                "002241A6089103040404840101",
            ),
            (
                Mse::ca_set_at(&PACE_OID, None),
                "002241A40C800A04007F00070202040202",
            ),
            (
                Mse::ta_set_dst("DECVCA00001"),
                "002281B60D830B4445435643413030303031",
            ),
            (
                Mse::ta_set_at("DETERM00001"),
                "002281A40D830B44455445524D3030303031",
            ),
        ] {
            let cmd = mse.to_command();
            assert_eq!(hex::encode_upper(cmd.to_bytes().unwrap()), wire);
            assert_eq!(Mse::parse(&cmd), Ok(mse));
        }
    }

    #[test]
    fn the_chip_refuses_what_no_emrtd_sends() {
        for (p1, p2) in [
            (0xC1, 0xB6),
            (0x41, 0xB6),
            (0x81, 0xA6),
            (0xF1, 0xA4),
            (0x01, 0xA4),
        ] {
            let cmd = Command::new(0, INS, p1, p2).with_data([0x83, 0x01, 0x01]);
            let kind = Mse::parse(&cmd).map_err(|e| e.kind);
            assert_eq!(kind, Err(Refusal::WrongP1P2), "{p1:02X}{p2:02X}");
        }
        for data in [
            &[][..],
            &[0x80, 0x01, 0x01],
            &[0x83, 0x02, 0xFF, 0xFE],
            &[0x83, 0x05, 0x41],
        ] {
            let kind = Mse::reference(data).map_err(|e| e.kind);
            assert_eq!(kind, Err(Refusal::WrongData), "{data:02X?}");
        }
        // The reference is the first object; what follows it is not looked at.
        assert_eq!(
            Mse::reference(&[0x83, 0x02, 0x44, 0x45, 0x00]).as_deref(),
            Ok("DE")
        );
    }

    #[test]
    fn malformed_data_objects_reach_the_protocol_marked() {
        let cmd = Command::new(0, INS, 0xC1, 0xA4).with_data([0x83, 0x01, 0x01, 0x84, 0x03]);
        let mse = Mse::parse(&cmd).unwrap();
        assert_eq!(mse.kind, MseKind::PaceSetAt);
        assert!(mse.data.malformed);
        assert_eq!(mse.data.tags(), [0x83]);
    }
}
