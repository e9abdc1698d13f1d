//! The app in headless Chromium: the localStorage draft store, the wizard's transitions and the
//! Customer step's components. Run: `cargo test --target wasm32-unknown-unknown -p onboarding-wizard`.

use leptos::prelude::*;
use onboarding_core::draft_codec::StoredDraft;
use onboarding_core::{AdminContact, Draft, ErrorCode, FieldError, StepId};
use onboarding_wizard::drafts::{DraftListing, DraftStore, StorageStatus};
use onboarding_wizard::session::Session;
use onboarding_wizard::steps::customer::CustomerStep;
use onboarding_wizard::steps::gateway::GatewayStep;
use onboarding_wizard::wizard::Wizard;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const ID_A: &str = "6f1c2b1e-3c8e-4f7a-9d2b-1a2b3c4d5e6f";
const ID_B: &str = "0d9f8e7c-6b5a-4a3b-8c2d-1e0f9a8b7c6d";
const DAY_MS: f64 = 86_400_000.0;

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

fn fresh() -> Owner {
    storage().clear().unwrap();
    onboarding_wizard::drafts::reset_memory();
    let owner = Owner::new();
    owner.set();
    owner
}

fn draft(id: &str, name: &str) -> Draft {
    let mut d = Draft::new(id, None);
    d.customer.name = name.into();
    d
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
fn store_round_trips_lists_newest_first_and_deletes() {
    let _owner = fresh();
    let store = DraftStore::new(None);
    assert!(store.save(&StoredDraft::new(draft(ID_A, "Older"), js_sys::Date::now() - 1000.0)));
    assert!(store.save(&StoredDraft::new(draft(ID_B, "Newer"), js_sys::Date::now())));
    assert_eq!(store.load(ID_A).unwrap().unwrap().working.customer.name, "Older");
    let names: Vec<String> = store
        .list(js_sys::Date::now(), 30)
        .into_iter()
        .filter_map(|l| if let DraftListing::Draft(d) = l { Some(d.working.customer.name) } else { None })
        .collect();
    assert_eq!(names, ["Newer", "Older"]);
    store.delete(ID_A);
    assert_eq!(store.load(ID_A), Ok(None));
    assert_eq!(store.status.get_untracked(), StorageStatus::Ok);
}

#[wasm_bindgen_test]
fn one_partner_never_sees_another_partners_drafts() {
    let _owner = fresh();
    let a = DraftStore::new(Some("partner/a"));
    let b = DraftStore::new(Some("partner"));
    a.save(&StoredDraft::new(draft(ID_A, "A's customer"), js_sys::Date::now()));
    assert_eq!(b.load(ID_A), Ok(None));
    assert!(b.list(js_sys::Date::now(), 30).is_empty());
    assert_eq!(a.list(js_sys::Date::now(), 30).len(), 1);
}

#[wasm_bindgen_test]
fn corrupt_entries_are_kept_aside_and_reported_future_ones_left_alone_expired_removed() {
    let _owner = fresh();
    let store = DraftStore::new(None);
    let s = storage();
    s.set_item("onboarding-wizard:drafts:_:broken", "{oops").unwrap();
    s.set_item("onboarding-wizard:drafts:_:future", r#"{"schema_version":99}"#).unwrap();
    let now = js_sys::Date::now();
    store.save(&StoredDraft::new(draft(ID_A, "Stale"), now - 31.0 * DAY_MS));
    let listing = store.list(now, 30);
    assert!(listing.iter().any(|l| matches!(l, DraftListing::Unreadable { .. })));
    assert!(listing.iter().any(|l| matches!(l, DraftListing::FutureVersion { .. })));
    assert!(!listing.iter().any(|l| matches!(l, DraftListing::Draft(_))), "expired draft still listed");
    // The corrupt text is preserved under another key; the future entry is untouched.
    assert_eq!(s.get_item("onboarding-wizard:corrupt:drafts:_:broken").unwrap().as_deref(), Some("{oops"));
    assert_eq!(s.get_item("onboarding-wizard:drafts:_:broken").unwrap(), None);
    assert_eq!(s.get_item("onboarding-wizard:drafts:_:future").unwrap().as_deref(), Some(r#"{"schema_version":99}"#));
    assert_eq!(store.load(ID_A), Ok(None));
    // Listing again still reports the entry kept aside, once.
    let again = store.list(now, 30);
    assert_eq!(again.iter().filter(|l| matches!(l, DraftListing::Unreadable { .. })).count(), 1);
}

#[wasm_bindgen_test]
fn throwing_storage_falls_back_to_memory_and_says_so() {
    let _owner = fresh();
    let block = js_sys::Function::new_no_args(
        "window.__ls = Object.getOwnPropertyDescriptor(window, 'localStorage');
         Object.defineProperty(window, 'localStorage', { configurable: true,
           get() { throw new DOMException('blocked', 'SecurityError'); } });",
    );
    let restore = js_sys::Function::new_no_args("Object.defineProperty(window, 'localStorage', window.__ls);");
    block.call0(&wasm_bindgen::JsValue::NULL).unwrap();
    let store = DraftStore::new(None);
    let status = store.status.get_untracked();
    let saved = store.save(&StoredDraft::new(draft(ID_A, "In memory"), js_sys::Date::now()));
    let loaded = store.load(ID_A);
    restore.call0(&wasm_bindgen::JsValue::NULL).unwrap();
    assert_eq!(status, StorageStatus::Unavailable);
    assert!(!saved, "the device did not keep it");
    assert_eq!(loaded.unwrap().unwrap().working.customer.name, "In memory");
}

#[wasm_bindgen_test]
async fn autosave_is_coalesced_off_the_keystroke_and_flush_writes_at_once() {
    let _owner = fresh();
    let store = DraftStore::new(None);
    let wizard = Wizard::open(ID_A, None, store).unwrap();
    let key = format!("onboarding-wizard:drafts:_:{ID_A}");
    for c in ["C", "Cl", "Cli"] {
        wizard.customer.name.set(c.into());
        wizard.edited();
    }
    assert_eq!(storage().get_item(&key).unwrap(), None, "saved on the keystroke path");
    sleep(600).await;
    let stored = store.load(ID_A).unwrap().expect("autosaved within a second");
    assert_eq!(stored.working.customer.name, "Cli");

    wizard.customer.name.set("Clinic".into());
    wizard.edited();
    wizard.flush();
    assert_eq!(store.load(ID_A).unwrap().unwrap().working.customer.name, "Clinic");
}

#[wasm_bindgen_test]
fn cancel_discards_a_never_saved_draft_and_restores_the_checkpoint_otherwise() {
    let _owner = fresh();
    let store = DraftStore::new(None);
    let new = Wizard::open(ID_A, None, store).unwrap();
    assert!(!new.has_unsaved_changes(), "an untouched onboarding has nothing to lose");
    new.customer.name.set("Typed".into());
    new.save_now();
    assert!(new.has_unsaved_changes());
    new.discard();
    assert_eq!(store.load(ID_A), Ok(None));

    let saved = Wizard::open(ID_B, None, store).unwrap();
    saved.customer.name.set("Saved name".into());
    assert!(saved.save_and_return().0);
    assert!(!saved.has_unsaved_changes());
    saved.customer.name.set("Edited later".into());
    saved.save_now();
    assert!(saved.has_unsaved_changes());
    saved.discard();
    let stored = store.load(ID_B).unwrap().unwrap();
    assert_eq!(stored.working.customer.name, "Saved name");
    // No autosave can bring the discarded edit back.
    saved.edited();
    saved.flush();
    assert_eq!(store.load(ID_B).unwrap().unwrap().working.customer.name, "Saved name");
}

/// Spanish as the app has it once `/locales/es.json` and its countries have loaded (only English
/// is compiled in; the test runner does not serve the locale files).
fn spanish() -> onboarding_wizard::i18n::Lang {
    let es = onboarding_wizard::i18n::Lang::from_code("es").expect("locales/es.json exists");
    onboarding_wizard::i18n::install(es, include_str!("../locales/es.json"), include_str!("../locales/es.countries.json"))
        .expect("locales/es.json is complete");
    es
}

/// A locale file becomes a table only when it has every key English has, each a string; its
/// countries only when it has every country, kept in the file's order. Nothing is kept from a
/// file that fails: the language's texts stay English's.
#[wasm_bindgen_test]
fn locale_files_parse_into_tables_and_an_incomplete_one_is_refused() {
    use onboarding_wizard::i18n::{forget, install, parse_countries, parse_texts, Key, Lang, LoadError};
    let en = parse_texts(include_str!("../locales/en.json")).unwrap();
    assert_eq!(en[Key::AppName as usize], "Partner onboarding");
    let es_json = include_str!("../locales/es.json");
    assert_eq!(parse_texts(es_json).unwrap()[Key::AppName as usize], "Incorporación para socios");

    let mut without: serde_json::Map<String, serde_json::Value> = serde_json::from_str(es_json).unwrap();
    without.remove("app.name");
    let without = serde_json::to_string(&without).unwrap();
    assert_eq!(parse_texts(&without), Err(LoadError::MissingKey("app.name")));
    let mut not_text: serde_json::Map<String, serde_json::Value> = serde_json::from_str(es_json).unwrap();
    not_text.insert("app.name".into(), serde_json::json!(7));
    assert_eq!(parse_texts(&serde_json::to_string(&not_text).unwrap()), Err(LoadError::MissingKey("app.name")));
    for malformed in ["", "{", "[]", "\"texto\"", "null", "<!DOCTYPE html><html></html>"] {
        assert!(matches!(parse_texts(malformed), Err(LoadError::Malformed)), "{malformed:?}");
    }

    let es_countries = include_str!("../locales/es.countries.json");
    let countries = parse_countries(es_countries).unwrap();
    assert_eq!(countries.len(), Lang::EN.countries().len());
    assert_eq!(countries[0], ("AF", "Afganistán".to_string()), "the file's order: sorted by the Spanish name");
    let no_spain = es_countries.replace("\"ES\": \"España\",", "");
    assert_eq!(parse_countries(&no_spain), Err(LoadError::MissingCountry("ES")));
    let unknown = es_countries.replacen('{', "{\"XX\": \"Nowhere\",", 1);
    assert_eq!(parse_countries(&unknown).unwrap().len(), countries.len(), "an unknown code is left out");

    let es = Lang::from_code("es").unwrap();
    forget(es);
    assert_eq!(install(es, &without, es_countries), Err(LoadError::MissingKey("app.name")));
    assert_eq!(install(es, es_json, &no_spain), Err(LoadError::MissingCountry("ES")));
    assert!(!es.is_loaded());
    assert_eq!(es.text(Key::AppName), "Partner onboarding", "English until the language is loaded");
    assert_eq!(es.countries()[0].1, Lang::EN.countries()[0].1);
    install(es, es_json, es_countries).unwrap();
    assert!(es.is_loaded());
    assert_eq!(es.text(Key::AppName), "Incorporación para socios");
    assert_eq!(es.text_dyn("app.name"), Some("Incorporación para socios"));
}

/// `window.fetch` answered by `body` (a JS function body of `url` and `init`) until dropped.
struct FetchStub(wasm_bindgen::JsValue);

impl FetchStub {
    fn new(body: &str) -> FetchStub {
        let window = web_sys::window().unwrap();
        let original = js_sys::Reflect::get(&window, &"fetch".into()).unwrap();
        js_sys::Reflect::set(&window, &"fetch".into(), &js_sys::Function::new_with_args("url, init", body)).unwrap();
        FetchStub(original)
    }
}

impl Drop for FetchStub {
    fn drop(&mut self) {
        js_sys::Reflect::set(&web_sys::window().unwrap(), &"fetch".into(), &self.0).unwrap();
    }
}

/// A language whose files cannot be had (offline and not cached, 404, not JSON, a key missing,
/// no answer) leaves English on screen and says so in words, never a key; once its files load,
/// both requested at once, it is shown and the notice goes.
#[wasm_bindgen_test]
async fn an_unavailable_language_falls_back_to_english_with_a_notice() {
    use onboarding_wizard::components::header::Header;
    use onboarding_wizard::i18n::{forget, I18n, Key, Lang};
    let _owner = fresh();
    let es = Lang::from_code("es").unwrap();
    forget(es);
    let i18n = I18n::new(Lang::EN);
    let session = Session { i18n, ..Session::from_location() };
    let document = web_sys::window().unwrap().document().unwrap();
    let root: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&root).unwrap();
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(session);
        provide_context(session.i18n);
        view! { <Header /> }.into_any()
    });
    sleep(0).await;
    assert!(root.query_selector("#language-notice").unwrap().is_none());
    assert_eq!(texts(&root, ".language-switch"), ["English", "Español"], "each language by its own name, unloaded");

    let mut incomplete: serde_json::Map<String, serde_json::Value> = serde_json::from_str(include_str!("../locales/es.json")).unwrap();
    incomplete.remove("app.name");
    let window = web_sys::window().unwrap();
    js_sys::Reflect::set(&window, &"__es_texts".into(), &include_str!("../locales/es.json").into()).unwrap();
    js_sys::Reflect::set(&window, &"__es_incomplete".into(), &serde_json::to_string(&incomplete).unwrap().into()).unwrap();
    js_sys::Reflect::set(&window, &"__es_countries".into(), &include_str!("../locales/es.countries.json").into()).unwrap();
    let cases = [
        ("offline", "return Promise.reject(new TypeError('Failed to fetch'))"),
        ("404", "return Promise.resolve(new Response('Not found', { status: 404 }))"),
        ("not JSON", "return Promise.resolve(new Response('<!DOCTYPE html><p>Sign in</p>'))"),
        ("a key missing", "return Promise.resolve(new Response(url.endsWith('.countries.json') ? window.__es_countries : window.__es_incomplete))"),
        // A server that never answers: given up after a few seconds (the request is aborted).
        ("no answer", "return new Promise((_, reject) => init.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))))"),
    ];
    for (case, body) in cases {
        let _stub = FetchStub::new(body);
        assert!(!i18n.request(es).await, "{case}");
        sleep(0).await;
        assert_eq!(i18n.lang.get_untracked(), Lang::EN, "{case}");
        assert!(!es.is_loaded(), "{case}");
        assert_eq!(i18n.unavailable(), Some(es), "{case}");
        assert_eq!(
            texts(&root, "#language-notice"),
            ["Español could not be loaded, so the wizard is shown in English. Check your connection and choose the language again."],
            "{case}"
        );
        assert_eq!(texts(&root, ".header__title"), ["Partner onboarding"], "{case}");
        assert!(!root.inner_html().contains("language.unavailable"), "{case}");
    }

    let _stub = FetchStub::new(
        "(window.__fetched = window.__fetched || []).push(url); \
         return Promise.resolve(new Response(url.endsWith('.countries.json') ? window.__es_countries : window.__es_texts))",
    );
    let switched = i18n.request(es);
    let fetched = js_sys::Reflect::get(&window, &"__fetched".into()).unwrap();
    let fetched: Vec<String> = js_sys::Array::from(&fetched).iter().filter_map(|u| u.as_string()).collect();
    assert_eq!(fetched, ["/locales/es.json", "/locales/es.countries.json"], "both files requested at once, before any is awaited");
    assert!(switched.await);
    sleep(0).await;
    assert_eq!(i18n.lang.get_untracked(), es);
    assert!(root.query_selector("#language-notice").unwrap().is_none());
    assert_eq!(texts(&root, ".header__title"), [es.text(Key::AppName)]);
    assert_eq!(es.text(Key::AppName), "Incorporación para socios");
    assert_eq!(es.countries().iter().find(|(c, _)| *c == "ES").map(|(_, n)| *n), Some("España"));
}

// ---- components ----

struct Mounted {
    root: web_sys::HtmlElement,
    i18n: onboarding_wizard::i18n::I18n,
    _handle: leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>,
}

fn mount_customer_step(wizard: Wizard) -> Mounted {
    let document = web_sys::window().unwrap().document().unwrap();
    let root: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&root).unwrap();
    let store = DraftStore::new(None);
    let session = Session::from_location();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(session);
        provide_context(session.i18n);
        provide_context(store);
        provide_context(wizard.errors);
        // The wizard page's handler.
        let edited = move |ev: leptos::ev::Event| wizard.form_edited(&ev);
        view! { <form on:input=edited on:change=edited><CustomerStep wizard /></form> }.into_any()
    });
    Mounted { root, i18n: session.i18n, _handle: handle }
}

fn inputs(root: &web_sys::HtmlElement, selector: &str) -> Vec<web_sys::HtmlInputElement> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length()).map(|i| list.item(i).unwrap().unchecked_into()).collect()
}

fn texts(root: &web_sys::HtmlElement, selector: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length()).map(|i| list.item(i).unwrap().text_content().unwrap_or_default()).collect()
}

/// A contact row's Remove button by the name it is heard by.
fn remove_button(root: &web_sys::HtmlElement, name: &str) -> Option<web_sys::HtmlElement> {
    root.query_selector(&format!(".contact > button[aria-label='{name}']")).unwrap().and_then(|b| b.dyn_into().ok())
}

#[wasm_bindgen_test]
async fn removing_the_middle_admin_contact_keeps_the_others_exactly() {
    let _owner = fresh();
    let mut d = Draft::new(ID_A, None);
    for (i, name) in ["Ana", "Bea", "Carla"].iter().enumerate() {
        d.admin_contacts.push(AdminContact { id: 10 + i as u64, first_name: name.to_string(), last_name: "X".into(), email: format!("{name}@example.com") });
    }
    let store = DraftStore::new(None);
    store.save(&StoredDraft::new(d, js_sys::Date::now()));
    let wizard = Wizard::open(ID_A, None, store).unwrap();
    let m = mount_customer_step(wizard);
    sleep(0).await;
    let before = inputs(&m.root, "#admin_contacts input[id$='first_name']");
    assert_eq!(before.len(), 3);
    let carla_node = before[2].clone();
    // A value typed but not yet saved must survive the removal too.
    before[2].set_value("Carla typed");
    before[2].dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();

    let remove = remove_button(&m.root, "Remove admin contact 2").expect("the second row's Remove button");
    assert_eq!(remove.text_content().unwrap().trim(), "Remove", "it shows its word");
    remove.click();
    sleep(0).await;

    let after = inputs(&m.root, "#admin_contacts input[id$='first_name']");
    let values: Vec<String> = after.iter().map(|i| i.value()).collect();
    assert_eq!(values, ["Ana", "Carla typed"]);
    assert!(after[1].is_same_node(Some(&carla_node)), "row 3 was re-created instead of kept");
    // The row keeps its ids (its slot); what people see and hear is renumbered.
    assert_eq!(after[1].id(), "admin_contacts-2-first_name");
    assert_eq!(texts(&m.root, "#admin_contacts legend.contact__legend"), ["Admin contact 1", "Admin contact 2"]);
    assert!(remove_button(&m.root, "Remove admin contact 3").is_none());
    assert!(remove_button(&m.root, "Remove admin contact 2").is_some());
    // Positions (the rules' paths, Review's Change links) lead to the row now at that position.
    assert_eq!(wizard.element_id("admin_contacts-1-first_name"), "admin_contacts-2-first_name");
    assert_eq!(wizard.element_id("customer-name"), "customer-name");
    wizard.take_server_errors(vec![FieldError::new("admin_contacts[1].email", ErrorCode::EmailFormat)]);
    wizard.enter_step(StepId::Customer);
    sleep(0).await;
    let carla_email = m.root.query_selector("#admin_contacts-2-email").unwrap().unwrap();
    assert_eq!(carla_email.get_attribute("aria-invalid").as_deref(), Some("true"), "the backend's error lands on Carla's row");
    wizard.field_edited("admin_contacts-2-email");
    wizard.enter_step(StepId::Customer);
    assert!(wizard.errors.list.get_untracked().iter().all(|e| e.path != "admin_contacts[1].email"), "editing that field clears it");
}

#[wasm_bindgen_test]
async fn next_shows_inline_errors_wired_for_assistive_technology_then_revalidates_live() {
    let _owner = fresh();
    let wizard = Wizard::open(ID_A, None, DraftStore::new(None)).unwrap();
    let m = mount_customer_step(wizard);
    sleep(0).await;
    assert!(wizard.next(false).is_none());
    sleep(0).await;
    let name = inputs(&m.root, "#customer-name").remove(0);
    assert_eq!(name.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(name.get_attribute("aria-describedby").unwrap_or_default().contains("customer-name-error"));
    let message = m.root.query_selector("#customer-name-error").unwrap().unwrap().text_content().unwrap();
    assert!(message.ends_with("Enter the customer name"), "{message}");
    let group = texts(&m.root, "#support_contacts-error .error-message").join("|");
    assert!(!group.contains("Maintainer"), "a new onboarding already has a Maintainer row: {group}");

    name.set_value("Clínica Ñandú");
    name.dispatch_event(&bubbling_input()).unwrap();
    sleep(50).await;
    assert_eq!(name.get_attribute("aria-invalid"), None);
    assert!(m.root.query_selector("#customer-name-error").unwrap().is_none());
    // Other errors stay until fixed.
    assert!(m.root.query_selector("#customer-address-city-error").unwrap().is_some());
}

/// An `input` event that bubbles to the form, as typing produces.
fn bubbling_input() -> web_sys::Event {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    web_sys::Event::new_with_event_init_dict("input", &init).unwrap()
}

#[wasm_bindgen_test]
async fn typed_markup_is_shown_as_text() {
    let _owner = fresh();
    let mut d = Draft::new(ID_A, None);
    d.admin_contacts.push(AdminContact { id: 9, first_name: "<b>bold</b><img src=x onerror=alert(1)>".into(), ..Default::default() });
    let store = DraftStore::new(None);
    store.save(&StoredDraft::new(d, js_sys::Date::now()));
    let m = mount_customer_step(Wizard::open(ID_A, None, store).unwrap());
    sleep(0).await;
    assert!(m.root.query_selector("b, img").unwrap().is_none());
    assert_eq!(inputs(&m.root, "#admin_contacts-0-first_name")[0].value(), "<b>bold</b><img src=x onerror=alert(1)>");
}

/// A save re-reads only the contact rows edited or added since the last one (`written.rs`):
/// every edit made through the form must still reach the device, around removals and additions.
#[wasm_bindgen_test]
async fn every_edit_in_contact_rows_reaches_the_device_around_removals_and_additions() {
    let _owner = fresh();
    let mut d = Draft::new(ID_A, None);
    for (i, name) in ["Ana", "Bea", "Carla", "Dora"].iter().enumerate() {
        d.admin_contacts.push(AdminContact { id: 10 + i as u64, first_name: name.to_string(), ..Default::default() });
    }
    let store = DraftStore::new(None);
    store.save(&StoredDraft::new(d, js_sys::Date::now()));
    let wizard = Wizard::open(ID_A, None, store).unwrap();
    let m = mount_customer_step(wizard);
    sleep(0).await;
    let type_into = |id: &str, text: &str| {
        let input = inputs(&m.root, &format!("#{id}")).remove(0);
        input.set_value(text);
        input.dispatch_event(&bubbling_input()).unwrap();
    };
    let stored_admins = || -> Vec<(String, String)> {
        let working = store.load(ID_A).unwrap().unwrap().working;
        working.admin_contacts.into_iter().map(|c| (c.first_name, c.email)).collect()
    };
    let pairs = |items: &[(&str, &str)]| -> Vec<(String, String)> { items.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect() };

    type_into("admin_contacts-1-email", "bea@example.com");
    wizard.save_now();
    type_into("admin_contacts-3-first_name", "Dora B");
    wizard.save_now();
    assert_eq!(stored_admins(), pairs(&[("Ana", ""), ("Bea", "bea@example.com"), ("Carla", ""), ("Dora B", "")]));

    // Typed, then the row before it removed, then a new row added and typed into: one save.
    type_into("admin_contacts-2-first_name", "Carla C");
    remove_button(&m.root, "Remove admin contact 2").unwrap().click();
    let slot = wizard.add_admin();
    sleep(0).await;
    type_into(&format!("admin_contacts-{slot}-email"), "new@example.com");
    wizard.save_now();
    assert_eq!(stored_admins(), pairs(&[("Ana", ""), ("Carla C", ""), ("Dora B", ""), ("", "new@example.com")]));

    // The support role is a select: its change event marks its row too.
    let role: web_sys::HtmlSelectElement = m.root.query_selector("#support_contacts-1-role").unwrap().unwrap().unchecked_into();
    role.set_value("other");
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    role.dispatch_event(&web_sys::Event::new_with_event_init_dict("change", &init).unwrap()).unwrap();
    wizard.save_now();
    let supports = store.load(ID_A).unwrap().unwrap().working.support_contacts;
    assert_eq!(supports[1].role, onboarding_core::SupportRole::Other);
    assert_eq!(store.load(ID_A).unwrap().unwrap().working, wizard.snapshot(), "the device holds exactly what the form shows");
}

/// Selects are written as one piece of HTML: the stored choice is the selected option, the
/// labels are escaped text, and a change of language relabels them keeping the choice.
#[wasm_bindgen_test]
async fn select_options_show_the_stored_choice_and_follow_the_language() {
    let _owner = fresh();
    let mut d = Draft::new(ID_A, None);
    d.customer.address.country = "ES".into();
    let store = DraftStore::new(None);
    store.save(&StoredDraft::new(d, js_sys::Date::now()));
    let wizard = Wizard::open(ID_A, None, store).unwrap();
    let m = mount_customer_step(wizard);
    sleep(0).await;
    let select: web_sys::HtmlSelectElement = m.root.query_selector("#customer-address-country").unwrap().unwrap().unchecked_into();
    let countries = onboarding_wizard::i18n::Lang::EN.countries();
    assert_eq!(select.length() as usize, countries.len() + 1, "every country and the empty choice");
    assert_eq!(select.value(), "ES");
    let chosen = || select.selected_options().item(0).unwrap().text_content().unwrap();
    assert_eq!(chosen(), "Spain");
    // Labels with characters HTML gives meaning to arrive as text.
    let (code, name) = countries.iter().find(|(_, name)| name.contains('&')).expect("a country name with an ampersand");
    let option = m.root.query_selector(&format!("#customer-address-country option[value='{code}']")).unwrap().unwrap();
    assert_eq!(option.text_content().unwrap(), *name);

    m.i18n.lang.set(spanish());
    sleep(0).await;
    assert_eq!(select.value(), "ES", "the choice is kept in another language");
    assert_eq!(chosen(), "España");
    assert_eq!(select.item(0).unwrap().get_attribute("value").as_deref(), Some(""));
}

/// Countries carry the names people look for (CLDR's, as browsers show them), not official
/// ones that file China under P and South Korea under R.
#[wasm_bindgen_test]
fn countries_are_listed_under_their_common_names() {
    use onboarding_wizard::i18n::Lang;
    let name = |lang: Lang, code: &str| lang.countries().iter().find(|(c, _)| *c == code).map(|(_, n)| *n);
    for (code, en, es) in [
        ("CN", "China", "China"),
        ("IR", "Iran", "Irán"),
        ("KR", "South Korea", "Corea del Sur"),
        ("MK", "North Macedonia", "Macedonia del Norte"),
        ("US", "United States", "Estados Unidos"),
        ("GB", "United Kingdom", "Reino Unido"),
    ] {
        assert_eq!(name(Lang::EN, code), Some(en));
        assert_eq!(name(spanish(), code), Some(es));
    }
}

#[wasm_bindgen_test]
fn erasing_everything_from_a_never_saved_draft_removes_it_from_the_device() {
    let _owner = fresh();
    let store = DraftStore::new(None);
    let wizard = Wizard::open(ID_A, None, store).unwrap();
    wizard.customer.name.set("A".into());
    wizard.save_now();
    assert!(store.load(ID_A).unwrap().is_some());
    wizard.customer.name.set(String::new());
    wizard.save_now();
    assert_eq!(store.load(ID_A), Ok(None), "the erased text would come back on reload");
}

#[wasm_bindgen_test]
fn only_canonical_draft_ids_open() {
    let _owner = fresh();
    let store = DraftStore::new(None);
    assert!(Wizard::open(ID_A, None, store).is_ok());
    assert!(Wizard::open(&ID_A.to_uppercase(), None, store).is_err());
    assert!(Wizard::open(&ID_A.replace('-', ""), None, store).is_err());
}

// ---- later steps and submission ----

#[wasm_bindgen_test]
fn the_pbx_password_lives_only_in_memory_and_its_absence_is_explained_after_reopening() {
    let _owner = fresh();
    let store = DraftStore::new(None);
    let wizard = Wizard::open(ID_A, None, store).unwrap();
    wizard.customer.name.set("Clínica".into());
    wizard.pbx.host.set("pbx.example.com".into());
    wizard.pbx.password.set("hunter2-Ñ".into());
    assert!(!wizard.password_not_kept.get_untracked(), "a new draft has nothing to explain");
    assert!(wizard.save_now());
    for i in 0..storage().length().unwrap() {
        let key = storage().key(i).unwrap().unwrap();
        let value = storage().get_item(&key).unwrap().unwrap();
        assert!(!value.contains("hunter2"), "{key} holds the password");
    }
    assert!(wizard.save_and_return().0);
    let raw = storage().get_item(&format!("onboarding-wizard:drafts:_:{ID_A}")).unwrap().unwrap();
    assert!(raw.contains("pbx.example.com") && !raw.contains("hunter2") && !raw.contains("password"), "{raw}");
    // Reopened (a reload): the host is back, the password is not, and the page will say why.
    let reopened = Wizard::open(ID_A, None, store).unwrap();
    assert_eq!(reopened.pbx.host.get_untracked(), "pbx.example.com");
    assert_eq!(reopened.pbx.password.get_untracked(), "");
    assert!(reopened.password_not_kept.get_untracked());
}

#[wasm_bindgen_test]
fn next_follows_the_platform_path_and_a_change_returns_through_what_it_made_necessary() {
    let _owner = fresh();
    let wizard = Wizard::open(ID_A, None, DraftStore::new(None)).unwrap();
    wizard.enter_step(StepId::Gateway);
    wizard.gateway.site_name.set("Sede".into());
    wizard.gateway.platform.set("mivoice_business".into());
    wizard.gateway.mac_address.set("aabbccddeeff".into());
    assert_eq!(wizard.path(), [StepId::Customer, StepId::Gateway, StepId::Pbx, StepId::Connect, StepId::Review]);
    assert_eq!(wizard.next(false), Some(StepId::Pbx));
    // Back on Gateway through a Change link from Review, with a platform of the other path.
    wizard.completed.set(vec![StepId::Customer, StepId::Gateway, StepId::Pbx, StepId::Connect]);
    wizard.enter_step(StepId::Gateway);
    wizard.gateway.platform.set("va".into());
    assert_eq!(wizard.path(), [StepId::Customer, StepId::Gateway, StepId::Sync, StepId::Review]);
    assert_eq!(wizard.next(true), Some(StepId::Sync), "Sync was never completed");
    assert_eq!(wizard.next(true), Some(StepId::Review));
    // The PBX answers are still there for a return to a MiVoice platform.
    wizard.pbx.host.set("pbx.example.com".into());
    wizard.enter_step(StepId::Gateway);
    wizard.gateway.platform.set("mx_one".into());
    assert_eq!(wizard.next(true), Some(StepId::Review));
    assert_eq!(wizard.snapshot().pbx.host, "pbx.example.com");
}

#[wasm_bindgen_test]
fn backend_errors_show_on_their_step_until_that_field_is_edited() {
    let _owner = fresh();
    let wizard = Wizard::open(ID_A, None, DraftStore::new(None)).unwrap();
    // The error names a contact row the form has (one that it does not have goes to Review).
    wizard.add_admin();
    let rejected = vec![
        FieldError::new("admin_contacts[0].email", ErrorCode::EmailFormat),
        FieldError::new("pbx.certificate_pem", ErrorCode::CertificateFormat),
    ];
    assert_eq!(wizard.take_server_errors(rejected), StepId::Customer, "the first step in wizard order");
    wizard.enter_step(StepId::Connect);
    assert!(wizard.errors.shown.get_untracked());
    let paths = |w: &Wizard| w.errors.list.get_untracked().into_iter().map(|e| e.path).collect::<Vec<_>>();
    assert_eq!(paths(&wizard), ["pbx.certificate_pem"]);
    wizard.enter_step(StepId::Customer);
    assert!(paths(&wizard).contains(&"admin_contacts[0].email".to_string()));
    wizard.field_edited("admin_contacts-0-email");
    wizard.enter_step(StepId::Gateway);
    wizard.enter_step(StepId::Customer);
    assert!(!wizard.errors.shown.get_untracked(), "nothing left from the backend on Customer");
}

#[wasm_bindgen_test]
fn backend_errors_about_fields_no_page_shows_stay_on_review() {
    let _owner = fresh();
    let wizard = Wizard::open(ID_A, None, DraftStore::new(None)).unwrap();
    // A field under a section the wizard knows, and one under a section it does not: neither
    // has a field to sit beside, so both go to Review's summary instead of a step.
    // And a contact row the form does not have (a new onboarding has no admin contacts).
    let rejected = vec![
        FieldError::new("customer.vat_number", ErrorCode::Required),
        FieldError::new("billing.iban", ErrorCode::Rejected),
        FieldError::new("admin_contacts[7].email", ErrorCode::EmailFormat),
    ];
    assert_eq!(wizard.take_server_errors(rejected), StepId::Review);
    wizard.enter_step(StepId::Customer);
    assert!(!wizard.errors.shown.get_untracked(), "nothing on Customer");
    wizard.enter_step(StepId::Review);
    assert!(wizard.errors.shown.get_untracked());
    let paths: Vec<String> = wizard.errors.list.get_untracked().into_iter().map(|e| e.path).collect();
    assert_eq!(paths, ["customer.vat_number", "billing.iban", "admin_contacts[7].email"]);
    // Their summary links lead to Submit, the way forward.
    for e in wizard.errors.list.get_untracked() {
        assert_eq!(onboarding_wizard::wizard::target_id(&wizard.errors, &e, 2), "next", "{}", e.path);
    }
}

#[wasm_bindgen_test]
fn responses_are_sorted_into_outcomes() {
    use onboarding_wizard::submit::{classify, Outcome};
    assert_eq!(classify(201, r#"{"id":"abc","status":"received"}"#), Outcome::Accepted { id: "abc".into() });
    assert_eq!(classify(201, "<html>"), Outcome::Unexpected(201));
    assert_eq!(
        classify(422, r#"{"errors":[{"field":"customer.name","code":"too_long","max":100,"message":"x"}]}"#),
        Outcome::Invalid(vec![FieldError::new("customer.name", ErrorCode::TooLong { max: 100, len: None })])
    );
    assert_eq!(
        classify(422, r#"{"errors":[{"field":"customer.name","code":"too_long","max":100,"len":155,"message":"x"}]}"#),
        Outcome::Invalid(vec![FieldError::new("customer.name", ErrorCode::TooLong { max: 100, len: Some(155) })])
    );
    // A code this version does not know keeps the backend's reason, to be shown as text.
    assert_eq!(
        classify(422, r#"{"errors":[{"field":"gateway.site_name","code":"brand_new_rule","message":"Taken"}]}"#),
        Outcome::Invalid(vec![FieldError { message: Some("Taken".into()), ..FieldError::new("gateway.site_name", ErrorCode::Rejected) }])
    );
    assert_eq!(classify(422, "not json"), Outcome::Unexpected(422));
    assert_eq!(classify(409, ""), Outcome::Conflict);
    // 401: the submission waits for a session; an expired one is told apart (renewed quietly).
    assert_eq!(
        classify(401, r#"{"errors":[{"field":"","code":"session_expired","message":"x"}]}"#),
        Outcome::Unauthorized { expired: true }
    );
    assert_eq!(classify(401, r#"{"errors":[{"field":"","code":"unauthenticated"}]}"#), Outcome::Unauthorized { expired: false });
    // 403 partner_mismatch is final, never retried.
    assert!(!classify(403, r#"{"errors":[{"field":"","code":"partner_mismatch"}]}"#).is_retryable());
    assert_eq!(classify(503, "<html>down</html>"), Outcome::ServerError(503));
    assert_eq!(classify(429, ""), Outcome::ServerError(429));
    assert_eq!(classify(400, "{}"), Outcome::Unexpected(400));
    assert!(Outcome::ServerError(500).is_retryable() && Outcome::Network.is_retryable() && !Outcome::Unexpected(400).is_retryable());
    // A 409 says the onboarding was already accepted: sending it again can never succeed.
    assert!(!Outcome::Conflict.is_retryable());
}

#[wasm_bindgen_test]
async fn the_gateway_step_asks_for_a_mac_and_a_site_address_only_when_they_apply() {
    let _owner = fresh();
    let wizard = Wizard::open(ID_A, None, DraftStore::new(None)).unwrap();
    let document = web_sys::window().unwrap().document().unwrap();
    let root: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&root).unwrap();
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        let session = Session::from_location();
        provide_context(session);
        provide_context(session.i18n);
        provide_context(wizard.errors);
        view! { <GatewayStep wizard /> }.into_any()
    });
    sleep(0).await;
    let has = |sel: &str| root.query_selector(sel).unwrap().is_some();
    assert!(has("#gateway-mac_address") && !has("#gateway-site_address"));
    let radio = |key: &str| root.query_selector(&format!("input[type=radio][value={key}]")).unwrap().unwrap().unchecked_into::<web_sys::HtmlInputElement>();
    radio("smbc").click();
    sleep(0).await;
    assert_eq!(wizard.gateway.platform.get_untracked(), "smbc");
    assert!(!has("#gateway-mac_address"), "an SMBC has no gateway hardware");
    let same = root.query_selector("#gateway-site_same_as_customer").unwrap().unwrap().unchecked_into::<web_sys::HtmlInputElement>();
    assert!(same.checked());
    same.click();
    sleep(0).await;
    assert!(!wizard.gateway.site_same_as_customer.get_untracked());
    assert!(has("#gateway-site_address-street") && has("#gateway-site_address-country"));
}

// ---- storage robustness ----

#[wasm_bindgen_test]
fn a_refused_write_is_kept_in_memory_until_the_device_takes_it_again() {
    let _owner = fresh();
    let store = DraftStore::new(None);
    assert!(store.save(&StoredDraft::new(draft(ID_A, "On the device"), js_sys::Date::now())));
    let fill = js_sys::Function::new_no_args(
        "window.__setItem = Storage.prototype.setItem;
         Storage.prototype.setItem = function (k, v) {
           if (k.startsWith('onboarding-wizard:drafts')) throw new DOMException('full', 'QuotaExceededError');
           return window.__setItem.call(this, k, v);
         };",
    );
    let empty = js_sys::Function::new_no_args("Storage.prototype.setItem = window.__setItem;");
    fill.call0(&wasm_bindgen::JsValue::NULL).unwrap();
    let saved = store.save(&StoredDraft::new(draft(ID_A, "Only in memory"), js_sys::Date::now()));
    let status = store.status.get_untracked();
    let loaded = store.load(ID_A).unwrap().unwrap().working.customer.name;
    let listed = store.list(js_sys::Date::now(), 30).len();
    empty.call0(&wasm_bindgen::JsValue::NULL).unwrap();
    assert!(!saved);
    assert_eq!(status, StorageStatus::WriteFailed);
    assert_eq!(loaded, "Only in memory", "the page reads its newer copy");
    assert_eq!(listed, 1, "listed once, not twice");
    let raw = storage().get_item(&format!("onboarding-wizard:drafts:_:{ID_A}")).unwrap().unwrap();
    assert!(raw.contains("On the device"));
    // Space again: the next write lands and the memory copy is dropped.
    assert!(store.save(&StoredDraft::new(draft(ID_A, "Back on the device"), js_sys::Date::now())));
    assert_eq!(store.status.get_untracked(), StorageStatus::Ok);
    assert_eq!(store.load(ID_A).unwrap().unwrap().working.customer.name, "Back on the device");
}

fn storage_event(key: &str, new_value: Option<&str>) {
    let init = web_sys::StorageEventInit::new();
    init.set_key(Some(key));
    init.set_new_value(new_value);
    let ev = web_sys::StorageEvent::new_with_event_init_dict("storage", &init).unwrap();
    web_sys::window().unwrap().dispatch_event(&ev).unwrap();
}

#[wasm_bindgen_test]
fn another_tabs_write_is_adopted_by_an_idle_tab_and_questioned_by_a_busy_one() {
    use onboarding_wizard::wizard::{ActiveWizard, TabSync};
    let _owner = fresh();
    let store = DraftStore::new(None);
    store.save(&StoredDraft::new(draft(ID_A, "Mine"), js_sys::Date::now()));
    let active = ActiveWizard::default();
    let sync = TabSync::watch(active, store);
    let first = active.open(ID_A, None, store).unwrap();
    first.pbx.password.set("kept in memory".into());
    let key = store.key_of(ID_A);
    let theirs = onboarding_core::draft_codec::encode(&StoredDraft::new(draft(ID_A, "Theirs"), js_sys::Date::now()));
    // Idle: take it, keep the password (never stored), say so.
    storage().set_item(&key, &theirs).unwrap();
    storage_event(&key, Some(&theirs));
    let adopted = active.current().unwrap();
    assert!(adopted != first, "a fresh wizard for the new version");
    assert_eq!(adopted.customer.name.get_untracked(), "Theirs");
    assert_eq!(adopted.pbx.password.get_untracked(), "kept in memory");
    assert!(!sync.conflict.get_untracked());
    assert!(sync.notice.get_untracked().is_some());
    // Busy (an edit not yet written): ask, and write nothing meanwhile.
    adopted.customer.name.set("Mine again".into());
    adopted.edited();
    let other = onboarding_core::draft_codec::encode(&StoredDraft::new(draft(ID_A, "Theirs 2"), js_sys::Date::now()));
    storage().set_item(&key, &other).unwrap();
    storage_event(&key, Some(&other));
    assert!(sync.conflict.get_untracked());
    adopted.flush();
    adopted.save_now();
    assert_eq!(store.load(ID_A).unwrap().unwrap().working.customer.name, "Theirs 2", "nothing written over it");
    sync.keep_mine();
    assert!(!sync.conflict.get_untracked());
    assert_eq!(store.load(ID_A).unwrap().unwrap().working.customer.name, "Mine again");
}

/// A field's errors change only when its own path's errors do (or errors are shown or cleared):
/// one change must not re-run every field of a thousand-row form.
#[wasm_bindgen_test]
async fn errors_notify_only_the_fields_whose_errors_changed() {
    let _owner = fresh();
    let errors = onboarding_wizard::wizard::Errors::default();
    use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
    let runs_a = std::sync::Arc::new(AtomicUsize::new(0));
    let runs_b = std::sync::Arc::new(AtomicUsize::new(0));
    let (ra, rb) = (runs_a.clone(), runs_b.clone());
    let a = Memo::new(move |_| {
        ra.fetch_add(1, Relaxed);
        errors.at("customer.name").len()
    });
    let b = Memo::new(move |_| {
        rb.fetch_add(1, Relaxed);
        errors.at("customer.address.city").len()
    });
    assert_eq!((a.get_untracked(), b.get_untracked()), (0, 0));
    // Errors before the first Next stay hidden.
    errors.set(vec![FieldError::new("customer.name", ErrorCode::Required)]);
    assert_eq!(a.get_untracked(), 0);
    errors.show();
    assert_eq!(a.get_untracked(), 1, "shown: the name field has its error");
    let (a_runs, b_runs) = (runs_a.load(Relaxed), runs_b.load(Relaxed));
    errors.set(vec![
        FieldError::new("customer.name", ErrorCode::Required),
        FieldError::new("customer.address.city", ErrorCode::Required),
    ]);
    assert_eq!((a.get_untracked(), b.get_untracked()), (1, 1));
    assert_eq!(runs_a.load(Relaxed), a_runs, "the name's errors did not change: its field did not re-run");
    assert_eq!(runs_b.load(Relaxed), b_runs + 1);
    errors.clear();
    assert_eq!((a.get_untracked(), b.get_untracked()), (0, 0), "cleared: no field shows an error");
}

/// The same error twice (a backend repeating itself) is shown once: beside the field and in the
/// summary, whose links are keyed by what they say.
#[wasm_bindgen_test]
async fn the_same_error_twice_is_kept_once() {
    let _owner = fresh();
    let errors = onboarding_wizard::wizard::Errors::default();
    errors.show();
    let name = FieldError::new("customer.name", ErrorCode::Required);
    let city = FieldError::new("customer.address.city", ErrorCode::Required);
    errors.set(vec![name.clone(), city.clone(), name.clone()]);
    assert_eq!(errors.list.get_untracked(), vec![name.clone(), city.clone()], "in page order, once each");
    assert_eq!(errors.at("customer.name"), vec![name]);
    // Retelling every field (a change of language) changes no error.
    errors.retell_all();
    assert_eq!(errors.at("customer.address.city"), vec![city]);
}

/// More errors than the summary lists (`MAX_LINKS`): it links the first ones, in page order,
/// and says how many more there are; every field, listed or not, keeps its inline message.
#[wasm_bindgen_test]
async fn a_long_error_list_is_summarised_and_every_field_keeps_its_message() {
    use onboarding_wizard::components::error_summary::{ErrorSummary, MAX_LINKS};
    let _owner = fresh();
    let mut d = Draft::new(ID_A, None);
    for i in 0..30 {
        d.admin_contacts.push(AdminContact { id: 100 + i, ..Default::default() });
    }
    let store = DraftStore::new(None);
    store.save(&StoredDraft::new(d, js_sys::Date::now()));
    let wizard = Wizard::open(ID_A, None, store).unwrap();
    let document = web_sys::window().unwrap().document().unwrap();
    let root: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&root).unwrap();
    let session = Session::from_location();
    let i18n = session.i18n;
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(session);
        provide_context(session.i18n);
        provide_context(DraftStore::new(None));
        provide_context(wizard.errors);
        let edited = move |ev: leptos::ev::Event| wizard.form_edited(&ev);
        let support_rows = Signal::derive(move || wizard.supports.with(Vec::len));
        view! { <ErrorSummary errors=wizard.errors support_rows /><form on:input=edited on:change=edited><CustomerStep wizard /></form> }.into_any()
    });
    sleep(0).await;
    assert!(wizard.next(false).is_none());
    sleep(0).await;

    let total = wizard.errors.list.with_untracked(Vec::len);
    assert!(total >= 90, "30 empty rows have three errors each: {total}");
    let links = texts(&root, "#error-summary a");
    assert_eq!(links.len(), MAX_LINKS);
    assert_eq!(links[0], "Enter the customer name", "the first error of the page comes first");
    assert_eq!(texts(&root, ".error-summary__more"), [format!("Plus {} more, each marked beside its field below.", total - MAX_LINKS)]);
    let last = root.query_selector("#admin_contacts-29-email-error").unwrap().expect("the last row's inline message");
    assert!(last.text_content().unwrap().ends_with("Enter the email address of admin contact 30"));

    i18n.lang.set(spanish());
    sleep(0).await;
    assert_eq!(texts(&root, ".error-summary__more"), [format!("Y {} más, cada uno señalado junto a su campo más abajo.", total - MAX_LINKS)]);

    // Down to fewer errors than the summary holds: all of them linked, no count.
    for id in 100..130 {
        wizard.remove_admin(id);
    }
    sleep(100).await;
    let left = wizard.errors.list.with_untracked(Vec::len);
    assert!(left > 0 && left <= MAX_LINKS, "{left}");
    assert_eq!(texts(&root, "#error-summary a").len(), left);
    assert!(root.query_selector(".error-summary__more").unwrap().is_none());
}

#[wasm_bindgen_test]
fn a_session_decides_partner_and_role_and_drafts_begun_signed_out_are_adopted() {
    use onboarding_core::signin::SignedIn;
    use onboarding_wizard::session::Role;
    use onboarding_wizard::signin::SignInState;
    let _owner = fresh();
    storage().clear().unwrap();
    let base = Session::from_location();
    let admin = SignedIn { partner_id: "acme".into(), partner_name: "Acme".into(), account_admin: true, expires_at_ms: None };
    let signed = base.signed(&SignInState::SignedIn(admin));
    assert_eq!((signed.role, signed.partner_id.get_value().as_deref()), (Role::AccountAdmin, Some("acme")));
    // A backend without sessions: the address decides, as before.
    assert_eq!(base.signed(&SignInState::NotOffered).partner_id.get_value(), base.partner_id.get_value());

    // A draft begun before anyone signed in becomes the signed-in partner's; one the partner
    // already has under the same id is left alone.
    let anonymous = DraftStore::new(None);
    assert!(anonymous.save(&StoredDraft::new(draft("11111111-1111-4111-8111-111111111111", "Begun signed out"), js_sys::Date::now())));
    let acme = DraftStore::new(Some("acme"));
    acme.adopt_unclaimed();
    assert_eq!(acme.load("11111111-1111-4111-8111-111111111111").unwrap().unwrap().working.customer.name, "Begun signed out");
    assert!(anonymous.load("11111111-1111-4111-8111-111111111111").unwrap().is_none());
    storage().clear().unwrap();
}
