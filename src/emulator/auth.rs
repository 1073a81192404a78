//! The virtual chip's authentication commands (ICAO Doc 9303-11 clauses 4.4, 6.1 and 6.2;
//! ISO/IEC 7816-4 clauses 11.5.1 MANAGE SECURITY ENVIRONMENT, 11.5.6 GENERAL AUTHENTICATE and
//! 11.5.2 INTERNAL AUTHENTICATE): PACE (unprotected), Chip Authentication and Active
//! Authentication (under secure messaging), routed to the chip roles in `access/`. The commands
//! are told apart, and their data read, by the codecs the terminals build them with
//! ([`crate::iso7816`]).

use super::chip::VirtualChip;
use crate::access::ca::CaSession;
use crate::access::pace::PaceSession;
use crate::access::ta::{Binding, ChipIdentifier, TaBinding};
use crate::apdu::{Command, Response, sw};
use crate::iso7816::challenge::{CHALLENGE_LEN, authentication_data};
use crate::iso7816::mse::MseKind;
use crate::iso7816::pso;
use crate::iso7816::refusal::{ChipError, ChipResult, Refusal};

const NO_CA: ChipError = ChipError::conditions("Chip Authentication not offered");
const NO_TA: ChipError = ChipError::conditions("Terminal Authentication not offered");

/// A successful step that answers no data.
fn done(result: ChipResult<()>) -> ChipResult<Response> {
    result.map(|()| Response::sw(sw::OK))
}

impl VirtualChip {
    /// MSE:Set AT for PACE (C1A4, unprotected); MSE:Set KAT (41A6) and MSE:Set AT (41A4) for
    /// Chip Authentication, MSE:Set DST (81B6) and MSE:Set AT (81A4) for Terminal
    /// Authentication (protected).
    pub(super) fn manage_security_environment(
        &mut self,
        cmd: &Command,
        protected: bool,
    ) -> ChipResult<Response> {
        match (MseKind::from_p1p2(cmd.p1, cmd.p2), protected) {
            (Some(MseKind::PaceSetAt), false) => {
                let pace = self.pace.as_mut();
                done(
                    pace.ok_or(ChipError::conditions("PACE not offered"))?
                        .mse_set_at(&cmd.data),
                )
            }
            (Some(MseKind::CaSetKat), true) => {
                let session = self.ca.as_ref().ok_or(NO_CA)?.set_kat(&cmd.data)?;
                self.chip_authenticated(session);
                Ok(Response::sw(sw::OK))
            }
            (Some(MseKind::CaSetAt), true) => {
                self.ca.as_mut().ok_or(NO_CA)?.set_at(&cmd.data)?;
                self.drop_terminal_rights();
                self.state.terminal_key = None;
                Ok(Response::sw(sw::OK))
            }
            (Some(MseKind::TaSetDst), true) => self.ta_step(|ta| ta.set_dst(&cmd.data)),
            (Some(MseKind::TaSetAt), true) => self.ta_step(|ta| ta.set_at(&cmd.data)),
            (Some(MseKind::PaceSetAt), true) => {
                Err(ChipError::conditions("PACE under secure messaging"))
            }
            (_, false) if matches!(cmd.p1, 0x41 | 0x81) => Err(ChipError::conditions(
                "MSE:Set for CA or TA without secure messaging",
            )),
            _ => Err(ChipError::wrong_p1p2("MSE:Set variant no eMRTD uses")),
        }
    }

    /// GENERAL AUTHENTICATE: unprotected it is a PACE step (the last one opens the session);
    /// protected it is Chip Authentication after MSE:Set AT.
    pub(super) fn general_authenticate(
        &mut self,
        cmd: &Command,
        protected: bool,
    ) -> ChipResult<Response> {
        if protected {
            let ca = self.ca.as_mut().ok_or(NO_CA)?;
            let (data, session) = ca.general_authenticate(&cmd.data)?;
            self.chip_authenticated(session);
            return Ok(Response::new(data, sw::OK));
        }
        let pace = self
            .pace
            .as_mut()
            .ok_or(ChipError::conditions("PACE not offered"))?;
        match pace.general_authenticate(cmd) {
            Ok((data, session)) => {
                if let Some(session) = session {
                    let static_id = pace.static_chip_identifier(session.password_reference);
                    self.pace_established(session, static_id);
                }
                Ok(Response::new(data, sw::OK))
            }
            Err(e) => {
                pace.reset();
                if e.kind == Refusal::VerificationFailed {
                    self.authentication_outcome(false);
                }
                Err(e)
            }
        }
    }

    /// INTERNAL AUTHENTICATE (Active Authentication): signs the terminal's challenge. Only
    /// under secure messaging, as after BAC or PACE.
    pub(super) fn internal_authenticate(
        &mut self,
        cmd: &Command,
        protected: bool,
    ) -> ChipResult<Response> {
        if !protected {
            return Err(ChipError::security_status(
                "INTERNAL AUTHENTICATE without secure messaging",
            ));
        }
        let aa = self.aa.as_ref().ok_or(ChipError::new(
            Refusal::InsNotSupported,
            "Active Authentication not offered",
        ))?;
        let challenge = authentication_data(cmd, Some(CHALLENGE_LEN))?;
        Ok(Response::new(aa.internal_authenticate(challenge)?, sw::OK))
    }
}

impl VirtualChip {
    /// Chip Authentication succeeded: its session starts after this answer, and it ends what
    /// an earlier Terminal Authentication granted (BSI TR-03110-1 clause 3.5.2: rights belong
    /// to the session of the authenticated ephemeral key).
    fn chip_authenticated(&mut self, session: CaSession) {
        self.drop_terminal_rights();
        self.state.terminal_key = Some(session.terminal_key);
        self.state.next_sm = Some(session.sm);
    }

    /// PACE succeeded: its session starts now. `ID_PICC` is Comp of the chip's ephemeral key
    /// (the dynamic binding), or the static identifier for a chip with the
    /// `ta-static-binding` quirk; PACE-CAM authenticates the chip as Chip Authentication does
    /// (9303-11 clause 4.4.3.5), so Terminal Authentication may follow it directly.
    fn pace_established(&mut self, session: PaceSession, static_id: Option<ChipIdentifier>) {
        self.state.sm = Some(session.sm);
        self.state.chip_id = if self.quirks.static_binding() {
            static_id
        } else {
            Some(ChipIdentifier {
                binding: Binding::Dynamic,
                bytes: session.chip_key,
            })
        };
        self.state.terminal_key = session.cam_terminal_key;
        self.authentication_outcome(true);
    }

    /// What Terminal Authentication binds now; `None` before Chip Authentication (or
    /// PACE-CAM) in this session, or after the one TA a session allows (BSI TR-03110-1
    /// clause 3.5).
    fn terminal_authentication_binding(&self) -> ChipResult<TaBinding> {
        match (&self.state.chip_id, &self.state.terminal_key) {
            (Some(chip), Some(key)) if !self.state.ta_done => Ok(TaBinding {
                chip: chip.clone(),
                terminal_key: key.clone(),
            }),
            _ => Err(ChipError::conditions(
                "TA needs Chip Authentication (or PACE-CAM) first, once a session",
            )),
        }
    }

    fn ta_step(
        &mut self,
        step: impl FnOnce(&mut crate::access::ta::TaChip) -> ChipResult<()>,
    ) -> ChipResult<Response> {
        if self.ta.is_some() {
            self.terminal_authentication_binding()?;
        }
        done(step(self.ta.as_mut().ok_or(NO_TA)?))
    }

    /// PSO:Verify Certificate (parsed by [`pso::parse_verify_certificate`]), Terminal
    /// Authentication, protected only.
    pub(super) fn verify_certificate(
        &mut self,
        cmd: &Command,
        protected: bool,
    ) -> ChipResult<Response> {
        if !protected {
            return Err(ChipError::conditions(
                "PSO:Verify Certificate without secure messaging",
            ));
        }
        let certificate = pso::parse_verify_certificate(cmd)?;
        let mut trust_changed = false;
        let answer = self.ta_step(|ta| {
            trust_changed = ta.verify_certificate(certificate)?;
            Ok(())
        });
        if trust_changed {
            self.refresh_ef_cvca();
        }
        answer
    }

    /// EXTERNAL AUTHENTICATE under secure messaging: the last step of Terminal Authentication.
    pub(super) fn terminal_authenticate(&mut self, cmd: &Command) -> ChipResult<Response> {
        let binding = self.terminal_authentication_binding()?;
        let ta = self.ta.as_mut().ok_or(NO_TA)?;
        let signature = authentication_data(cmd, None)?;
        let rights = ta.external_authenticate(signature, &binding)?;
        self.state.ta_done = true;
        self.state.rights = Some(rights);
        Ok(Response::sw(sw::OK))
    }
}
