//! PERFORM SECURITY OPERATION: Verify Certificate (ISO/IEC 7816-8:2021 clause 5.3.8; BSI
//! TR-03110-3 clause B.11.5), both roles, as Terminal Authentication sends a CV certificate:
//! class 00, INS 2A, P1-P2 00BE, the data field the certificate's body (`7F4E`) and signature
//! (`5F37`) without the `7F21` wrapper, no Le.

use super::refusal::{ChipError, ChipResult};
use crate::apdu::Command;

/// The PERFORM SECURITY OPERATION instruction.
pub const INS: u8 = 0x2A;
/// P1: no response data.
pub const P1_VERIFY_CERTIFICATE: u8 = 0x00;
/// P2: the data field holds a certificate to verify (ISO/IEC 7816-8 table 15, `BE`).
pub const P2_VERIFY_CERTIFICATE: u8 = 0xBE;

/// PSO:Verify Certificate with `certificate`: the content of the certificate's `7F21` (its
/// body and signature).
pub fn verify_certificate(certificate: &[u8]) -> Command {
    Command::new(0x00, INS, P1_VERIFY_CERTIFICATE, P2_VERIFY_CERTIFICATE)
        .with_data(certificate.to_vec())
}

/// Chip side: the certificate content of a PSO:Verify Certificate; wrong P1-P2 for another
/// security operation. The content itself is the certificate parser's to check.
pub fn parse_verify_certificate(cmd: &Command) -> ChipResult<&[u8]> {
    if cmd.ins != INS || (cmd.p1, cmd.p2) != (P1_VERIFY_CERTIFICATE, P2_VERIFY_CERTIFICATE) {
        return Err(ChipError::wrong_p1p2(
            "PERFORM SECURITY OPERATION other than Verify Certificate",
        ));
    }
    Ok(&cmd.data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iso7816::refusal::Refusal;

    /// The byte layout of TR-03110-3 clause B.11.5: `00 2A 00 BE`, Lc, the certificate body
    /// (`7F4E`) and signature (`5F37`) as data, no Le; here with the project's inspection
    /// system certificate (`7F21 81D7 ...`: 215 bytes of content).
    #[test]
    fn clause_layout_with_a_real_certificate_and_round_trip() {
        let cert = include_bytes!("../../fixtures/eac/is.cvcert");
        assert_eq!(cert[..3], [0x7F, 0x21, 0x81]);
        let content = &cert[4..];
        let wire = verify_certificate(content).to_bytes().unwrap();
        // Short Lc = D7 (215): the content, starting with the body's tag 7F4E.
        assert_eq!(hex::encode_upper(&wire[..8]), "002A00BED77F4E81");
        assert_eq!(wire.len(), 5 + content.len());
        let parsed = Command::parse(&wire).unwrap();
        assert_eq!(parse_verify_certificate(&parsed), Ok(content));
    }

    #[test]
    fn the_chip_refuses_other_operations() {
        fn kind(cmd: &Command) -> Result<&[u8], Refusal> {
            parse_verify_certificate(cmd).map_err(|e| e.kind)
        }
        let other = Command::new(0, INS, 0x00, 0xA8).with_data(vec![1]);
        assert_eq!(kind(&other), Err(Refusal::WrongP1P2));
        let p1 = Command::new(0, INS, 0x80, 0xBE).with_data(vec![1]);
        assert_eq!(kind(&p1), Err(Refusal::WrongP1P2));
        let empty = Command::new(0, INS, 0x00, 0xBE);
        assert_eq!(kind(&empty), Ok(&[][..]));
    }
}
