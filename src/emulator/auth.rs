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
use crate::error::Error;
use crate::iso7816::challenge::{CHALLENGE_LEN, authentication_data};
use crate::iso7816::mse::MseKind;

fn status_of(e: &Error) -> u16 {
    e.sw().unwrap_or(sw::CONDITIONS)
}

impl VirtualChip {
    /// MSE:Set AT for PACE (C1A4, unprotected); MSE:Set KAT (41A6) and MSE:Set AT (41A4) for
    /// Chip Authentication (protected).
    pub(super) fn manage_security_environment(
        &mut self,
        cmd: &Command,
        protected: bool,
    ) -> Response {
        match (MseKind::from_p1p2(cmd.p1, cmd.p2), protected) {
            (Some(MseKind::PaceSetAt), false) => {
                let Some(pace) = self.pace.as_mut() else {
                    return Response::sw(sw::CONDITIONS);
                };
                match pace.mse_set_at(&cmd.data) {
                    Ok(()) => Response::sw(sw::OK),
                    Err(status) => Response::sw(status),
                }
            }
            (Some(MseKind::CaSetKat), true) => {
                match self.ca.as_ref().map(|ca| ca.set_kat(&cmd.data)) {
                    Some(Ok(session)) => {
                        self.chip_authenticated(session);
                        Response::sw(sw::OK)
                    }
                    Some(Err(e)) => Response::sw(status_of(&e)),
                    None => Response::sw(sw::CONDITIONS),
                }
            }
            (Some(MseKind::CaSetAt), true) => match self.ca.as_mut().map(|ca| ca.set_at(&cmd.data))
            {
                Some(Ok(())) => {
                    self.drop_terminal_rights();
                    self.state.terminal_key = None;
                    Response::sw(sw::OK)
                }
                Some(Err(e)) => Response::sw(status_of(&e)),
                None => Response::sw(sw::CONDITIONS),
            },
            (Some(MseKind::TaSetDst), true) => self.ta_step(|ta| ta.set_dst(&cmd.data)),
            (Some(MseKind::TaSetAt), true) => self.ta_step(|ta| ta.set_at(&cmd.data)),
            (Some(MseKind::PaceSetAt), true) => Response::sw(sw::CONDITIONS),
            (_, false) if matches!(cmd.p1, 0x41 | 0x81) => Response::sw(sw::CONDITIONS),
            _ => Response::sw(sw::WRONG_P1P2),
        }
    }

    /// GENERAL AUTHENTICATE: unprotected it is a PACE step (the last one opens the session);
    /// protected it is Chip Authentication after MSE:Set AT.
    pub(super) fn general_authenticate(&mut self, cmd: &Command, protected: bool) -> Response {
        if protected {
            return match self
                .ca
                .as_mut()
                .map(|ca| ca.general_authenticate(&cmd.data))
            {
                Some(Ok((data, session))) => {
                    self.chip_authenticated(session);
                    Response::new(data, sw::OK)
                }
                Some(Err(e)) => Response::sw(status_of(&e)),
                None => Response::sw(sw::CONDITIONS),
            };
        }
        let Some(pace) = self.pace.as_mut() else {
            return Response::sw(sw::CONDITIONS);
        };
        match pace.general_authenticate(cmd) {
            Ok((data, session)) => {
                if let Some(session) = session {
                    let static_id = pace.static_chip_identifier(session.password_reference);
                    self.pace_established(session, static_id);
                }
                Response::new(data, sw::OK)
            }
            Err(status) => {
                pace.reset();
                if status == 0x6300 {
                    self.authentication_outcome(false);
                }
                Response::sw(status)
            }
        }
    }

    /// INTERNAL AUTHENTICATE (Active Authentication): signs the terminal's challenge. Only
    /// under secure messaging, as after BAC or PACE.
    pub(super) fn internal_authenticate(&mut self, cmd: &Command, protected: bool) -> Response {
        let Some(aa) = self.aa.as_ref().filter(|_| protected) else {
            return Response::sw(if protected {
                sw::INS_NOT_SUPPORTED
            } else {
                sw::SECURITY_STATUS
            });
        };
        let challenge = match authentication_data(cmd, Some(CHALLENGE_LEN)) {
            Ok(c) => c,
            Err(status) => return Response::sw(status),
        };
        match aa.internal_authenticate(challenge) {
            Ok(sig) => Response::new(sig, sw::OK),
            Err(_) => Response::sw(sw::UNKNOWN),
        }
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
    fn terminal_authentication_binding(&self) -> Result<TaBinding, u16> {
        match (&self.state.chip_id, &self.state.terminal_key) {
            (Some(chip), Some(key)) if !self.state.ta_done => Ok(TaBinding {
                chip: chip.clone(),
                terminal_key: key.clone(),
            }),
            _ => Err(sw::CONDITIONS),
        }
    }

    fn ta_step(
        &mut self,
        step: impl FnOnce(&mut crate::access::ta::TaChip) -> Result<(), u16>,
    ) -> Response {
        if self.ta.is_some()
            && let Err(status) = self.terminal_authentication_binding()
        {
            return Response::sw(status);
        }
        match self.ta.as_mut().map(step) {
            Some(Ok(())) => Response::sw(sw::OK),
            Some(Err(status)) => Response::sw(status),
            None => Response::sw(sw::CONDITIONS),
        }
    }

    /// PSO:Verify Certificate (P1P2 00BE), Terminal Authentication, protected only.
    pub(super) fn verify_certificate(&mut self, cmd: &Command, protected: bool) -> Response {
        if !protected || (cmd.p1, cmd.p2) != (0x00, 0xBE) {
            return Response::sw(if protected {
                sw::WRONG_P1P2
            } else {
                sw::CONDITIONS
            });
        }
        let mut trust_changed = false;
        let answer = self.ta_step(|ta| {
            trust_changed = ta.verify_certificate(&cmd.data)?;
            Ok(())
        });
        if trust_changed {
            self.refresh_ef_cvca();
        }
        answer
    }

    /// EXTERNAL AUTHENTICATE under secure messaging: the last step of Terminal Authentication.
    pub(super) fn terminal_authenticate(&mut self, cmd: &Command) -> Response {
        let binding = match self.terminal_authentication_binding() {
            Ok(b) => b,
            Err(status) => return Response::sw(status),
        };
        let Some(ta) = self.ta.as_mut() else {
            return Response::sw(sw::CONDITIONS);
        };
        match ta.external_authenticate(&cmd.data, &binding) {
            Ok(rights) => {
                self.state.ta_done = true;
                self.state.rights = Some(rights);
                Response::sw(sw::OK)
            }
            Err(status) => Response::sw(status),
        }
    }
}
