//! EF.COM
