//! Issue 18, item 5: routes in a crate whose `Cargo.toml` renames rocket_twilio
//! (`twilio = { package = "rocket_twilio" }`). `::rocket_twilio` does not exist here; the attribute finds the
//! crate under its new name.

use rocket::form::Form;
use rocket::{get, post, routes, Build, Rocket};
use twilio::validate_twilio_request;

#[derive(rocket::FromForm)]
struct Sms {
    #[field(name = "Body")]
    body: String,
}

#[validate_twilio_request]
#[post("/sms", data = "<sms>")]
fn sms(sms: Form<Sms>) -> String {
    sms.into_inner().body
}

#[validate_twilio_request]
#[post("/status")]
fn status() -> &'static str {
    "status"
}

#[validate_twilio_request]
#[get("/gather")]
fn gather() -> &'static str {
    "gather"
}

/// The routes, validated with the configuration in `figment`.
pub fn app(figment: rocket::figment::Figment) -> Rocket<Build> {
    rocket::custom(figment).attach(twilio::Twilio::fairing()).mount("/", routes![sms, status, gather])
}

#[cfg(test)]
mod tests {
    use rocket::http::{ContentType, Status};
    use rocket::local::blocking::Client;
    use twilio::testing::TwilioSigned;
    use twilio::RequestValidator;

    #[test]
    fn routes_of_a_renamed_dependency_validate() {
        let figment = rocket::Config::figment()
            .merge(("log_level", "off"))
            .merge(("twilio.auth_token", "token"))
            .merge(("twilio.base_url", "https://example.com"));
        let client = Client::tracked(super::app(figment)).expect("valid rocket");
        let validator = RequestValidator::new("token");

        let r = client.post("/sms").sign_form(&validator, [("Body", "hi")]).dispatch();
        assert_eq!(r.into_string().as_deref(), Some("hi"));
        let r = client.post("/status").sign_form(&validator, [("CallStatus", "completed")]).dispatch();
        assert_eq!(r.into_string().as_deref(), Some("status"));
        let r = client.get("/gather").sign_url(&validator).dispatch();
        assert_eq!(r.into_string().as_deref(), Some("gather"));

        for path in ["/sms", "/status"] {
            let r = client.post(path).header(ContentType::Form).body("Body=hi").dispatch();
            assert_eq!(r.status(), Status::Forbidden, "{path}");
        }
        assert_eq!(client.get("/gather").dispatch().status(), Status::Forbidden);
    }
}
