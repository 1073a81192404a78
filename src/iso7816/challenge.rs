//! The challenge-response commands, both roles: GET CHALLENGE (ISO/IEC 7816-4:2020 clause
//! 11.5.3), EXTERNAL AUTHENTICATE (clause 11.5.4) and INTERNAL AUTHENTICATE (clause 11.5.2), as
//! BAC (ICAO Doc 9303-11 clause 4.3.4), Terminal Authentication (BSI TR-03110-3 clause B.11.5)
//! and Active Authentication (9303-11 clause 6.1) send them: class 00, P1-P2 0000, the
//! authentication data as the data field.

use super::refusal::{ChipError, ChipResult};
use crate::apdu::Command;

/// The GET CHALLENGE instruction.
pub const INS_GET_CHALLENGE: u8 = 0x84;
/// The EXTERNAL AUTHENTICATE instruction (BAC's MUTUAL AUTHENTICATE shares it).
pub const INS_EXTERNAL_AUTHENTICATE: u8 = 0x82;
/// The INTERNAL AUTHENTICATE instruction.
pub const INS_INTERNAL_AUTHENTICATE: u8 = 0x88;
/// The challenge eMRTDs give: eight bytes.
pub const CHALLENGE_LEN: usize = 8;

/// GET CHALLENGE asking for `len` bytes.
pub fn get_challenge(len: usize) -> Command {
    Command::new(0x00, INS_GET_CHALLENGE, 0x00, 0x00).with_le(len)
}

/// Chip side: the challenge length GET CHALLENGE asks for; a wrong length when it has data or
/// no Le.
pub fn parse_get_challenge(cmd: &Command) -> ChipResult<usize> {
    match cmd.le {
        Some(ne) if cmd.data.is_empty() => Ok(ne),
        _ => Err(ChipError::wrong_length(
            "GET CHALLENGE without Le or with data",
        )),
    }
}

/// EXTERNAL AUTHENTICATE with `data` (BAC: the terminal's cryptogram and MAC, with Ne 40; TA:
/// the terminal's signature, without Le).
pub fn external_authenticate(data: &[u8], ne: Option<usize>) -> Command {
    let cmd = Command::new(0x00, INS_EXTERNAL_AUTHENTICATE, 0x00, 0x00).with_data(data.to_vec());
    match ne {
        Some(ne) => cmd.with_le(ne),
        None => cmd,
    }
}

/// INTERNAL AUTHENTICATE with the terminal's `challenge`, asking for up to `ne` bytes of
/// signature.
pub fn internal_authenticate(challenge: &[u8], ne: usize) -> Command {
    Command::new(0x00, INS_INTERNAL_AUTHENTICATE, 0x00, 0x00)
        .with_data(challenge.to_vec())
        .with_le(ne)
}

/// Chip side of EXTERNAL and INTERNAL AUTHENTICATE: the authentication data; a wrong length
/// when `len` is given and the data has another length.
pub fn authentication_data(cmd: &Command, len: Option<usize>) -> ChipResult<&[u8]> {
    match len {
        Some(n) if cmd.data.len() != n => Err(ChipError::wrong_length(
            "authentication data of another length",
        )),
        _ => Ok(&cmd.data),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iso7816::refusal::Refusal;

    fn kind<T>(r: ChipResult<T>) -> Option<Refusal> {
        r.err().map(|e| e.kind)
    }

    fn hex(cmd: &Command) -> String {
        hex::encode_upper(cmd.to_bytes().unwrap())
    }

    #[test]
    fn terminal_commands_parse_back_on_the_chip() {
        let gc = get_challenge(CHALLENGE_LEN);
        assert_eq!(hex(&gc), "0084000008");
        assert_eq!(parse_get_challenge(&gc), Ok(8));

        let bac = external_authenticate(&[7; 40], Some(40));
        assert_eq!(hex(&bac)[..10], *"0082000028");
        assert_eq!(hex(&bac)[hex(&bac).len() - 2..], *"28");
        assert_eq!(authentication_data(&bac, Some(40)), Ok(&[7u8; 40][..]));

        let ta = external_authenticate(&[1, 2, 3], None);
        assert_eq!(hex(&ta), "0082000003010203");
        assert_eq!(authentication_data(&ta, None), Ok(&[1u8, 2, 3][..]));

        let aa = internal_authenticate(&[5; 8], 256);
        assert_eq!(hex(&aa), "0088000008050505050505050500");
        assert_eq!(
            authentication_data(&aa, Some(CHALLENGE_LEN)),
            Ok(&[5u8; 8][..])
        );
    }

    /// ICAO Doc 9303-11 App. D.3: the BAC EXTERNAL AUTHENTICATE C-APDU byte for byte, and the
    /// chip reading the cryptogram back out of it; the Active Authentication worked example's
    /// RND.IFD in the INTERNAL AUTHENTICATE of clause 6.1 (`00 88 00 00 08 RND.IFD 00`).
    #[test]
    fn icao_worked_example_commands_round_trip() {
        let cryptogram = hex::decode(
            "72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F25F1448EEA8AD90A7",
        )
        .unwrap();
        let wire = external_authenticate(&cryptogram, Some(40))
            .to_bytes()
            .unwrap();
        assert_eq!(
            hex::encode_upper(&wire),
            "008200002872C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F25F1448EEA8AD90A728"
        );
        let parsed = Command::parse(&wire).unwrap();
        assert_eq!(authentication_data(&parsed, Some(40)), Ok(&cryptogram[..]));

        let rnd_ifd = hex::decode("F173589974BF40C6").unwrap();
        let wire = internal_authenticate(&rnd_ifd, 256).to_bytes().unwrap();
        assert_eq!(hex::encode_upper(&wire), "0088000008F173589974BF40C600");
        let parsed = Command::parse(&wire).unwrap();
        assert_eq!(
            authentication_data(&parsed, Some(CHALLENGE_LEN)),
            Ok(&rnd_ifd[..])
        );
    }

    #[test]
    fn the_chip_refuses_wrong_lengths() {
        let no_le = Command::new(0, INS_GET_CHALLENGE, 0, 0);
        let with_data = get_challenge(8).with_data([1]);
        for cmd in [no_le, with_data] {
            assert_eq!(
                kind(parse_get_challenge(&cmd)),
                Some(Refusal::WrongLength),
                "{cmd:?}"
            );
        }
        let short = external_authenticate(&[7; 39], Some(40));
        assert_eq!(
            kind(authentication_data(&short, Some(40))),
            Some(Refusal::WrongLength)
        );
        let long = internal_authenticate(&[5; 9], 256);
        assert_eq!(
            kind(authentication_data(&long, Some(8))),
            Some(Refusal::WrongLength)
        );
    }
}
