//! The donation call to action, its dialog, and the donate form shared by the dialog and the
//! donate page. The dialog and the page's form are islands: the form is checked in the
//! browser with the rules the server applies, the line next to its button follows the chosen
//! amount, frequency and currency, and the dialog opens over the page.

use crate::{
    components::island_here,
    i18n::{fill, Locale},
    model::{Donation, DonationError, DonationForm, DonationSettings, Frequency},
    paths::Page,
};
use leptos::{either::Either, html, prelude::*};
use wasm_bindgen::JsCast;

/// The call to action: heading, sentence and the donate button with its dialog.
#[component]
pub fn DonateCta(locale: Locale, settings: DonationSettings) -> impl IntoView {
    let t = locale.messages();
    view! {
        <section class="donate-cta" aria-labelledby="donate-cta-heading">
            <h2 id="donate-cta-heading">{t.donate_cta_heading}</h2>
            <p>{t.donate_cta_text}</p>
            <DonateDialog locale settings />
        </section>
    }
}

/// The donate button. Without JavaScript it leads to the donate page; with it, it opens the
/// form in a modal dialog: focus moves in and stays there, Escape closes, focus comes back.
#[island(lazy)]
pub fn DonateDialog(locale: Locale, settings: DonationSettings) -> impl IntoView {
    island_here();
    let t = locale.messages();
    let dialog = NodeRef::<html::Dialog>::new();
    let opener = NodeRef::<html::A>::new();
    let open = move |ev: leptos::ev::MouseEvent| {
        if let Some(dialog) = dialog.get() {
            ev.prevent_default();
            if dialog.show_modal().is_err() {
                dialog.set_open(true);
            }
        }
    };
    let close = move |_| {
        if let Some(dialog) = dialog.get() {
            dialog.close();
        }
    };
    let restore_focus = move |_| {
        if let Some(opener) = opener.get() {
            let _ = opener.focus();
        }
    };
    view! {
        <a class="button donate-button" href=Page::Donate.path(locale) node_ref=opener on:click=open>
            {t.donate_button}
        </a>
        <dialog class="donate-dialog" aria-labelledby="donate-dialog-title" node_ref=dialog on:close=restore_focus on:keydown=move |ev| keep_focus_inside(ev, dialog)>
            <div class="dialog-head">
                <h2 id="donate-dialog-title">{t.donate_title}</h2>
                <button type="button" class="dialog-close" aria-label=t.donate_close on:click=close>
                    <span aria-hidden="true">"×"</span>
                </button>
            </div>
            <DonateFormView locale settings prefix="dialog" />
        </dialog>
    }
}

/// The donate page's form, with the values and errors of a refused hand-off, if any.
#[island(lazy)]
pub fn DonatePageForm(
    locale: Locale,
    settings: DonationSettings,
    values: DonationForm,
    errors: Vec<DonationError>,
) -> impl IntoView {
    island_here();
    view! { <DonateFormView locale settings prefix="page" values errors /> }
}

/// Tab and Shift+Tab wrap around inside the open dialog.
fn keep_focus_inside(ev: leptos::ev::KeyboardEvent, dialog: NodeRef<html::Dialog>) {
    if ev.key() != "Tab" {
        return;
    }
    let Some(dialog) = dialog.get() else { return };
    let Ok(nodes) = dialog.query_selector_all(
        "a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), select, textarea",
    ) else {
        return;
    };
    let focusable: Vec<web_sys::HtmlElement> = (0..nodes.length())
        .filter_map(|i| nodes.item(i)?.dyn_into().ok())
        .collect();
    let (Some(first), Some(last)) = (focusable.first(), focusable.last()) else {
        return;
    };
    let active = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element());
    let is = |el: &web_sys::HtmlElement| {
        active
            .as_ref()
            .is_some_and(|a| a == el.unchecked_ref::<web_sys::Element>())
    };
    // Radios of one group are one stop: treat any radio of the first/last group as the edge.
    if ev.shift_key() && is(first) {
        ev.prevent_default();
        let _ = last.focus();
    } else if !ev.shift_key() && is(last) {
        ev.prevent_default();
        let _ = first.focus();
    }
}

/// What every field of one donate form shares: its ids, its errors, and the limits its
/// messages name.
#[derive(Clone, Copy)]
struct FormState {
    locale: Locale,
    /// Makes the ids of this form unique on the page.
    prefix: &'static str,
    errors: RwSignal<Vec<DonationError>>,
    settings: StoredValue<DonationSettings>,
}

impl FormState {
    fn id(self, name: &str) -> String {
        format!("{}-{name}", self.prefix)
    }

    fn has_error(self, field: &'static str) -> bool {
        self.errors.get().iter().any(|e| e.field() == field)
    }

    /// The message of `field`'s error, while it has one.
    fn error_for(self, field: &'static str) -> impl IntoView {
        move || {
            let error = self.errors.get().into_iter().find(|e| e.field() == field)?;
            let message = self.settings.with_value(|s| error.message(self.locale, s));
            Some(view! { <p class="field-error" id=self.id(&format!("{field}-error"))>{message}</p> })
        }
    }

    /// `aria-describedby` of a control: its hint and, while it has one, its error.
    fn described(self, field: &'static str, hint: Option<String>) -> impl Fn() -> Option<String> {
        move || {
            let mut ids: Vec<String> = hint.iter().cloned().collect();
            if self.has_error(field) {
                ids.push(self.id(&format!("{field}-error")));
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    }

    fn invalid(self, field: &'static str) -> impl Fn() -> Option<&'static str> {
        move || self.has_error(field).then_some("true")
    }

    /// Checks the form before it leaves; a wrong value keeps it here, shows every message and
    /// moves focus to the first wrong field.
    fn check(self, ev: leptos::ev::SubmitEvent, form: &web_sys::HtmlFormElement) {
        let Some(values) = read_form(form) else {
            return;
        };
        let Err(found) = self.settings.with_value(|s| Donation::validate(&values, s)) else {
            return;
        };
        ev.prevent_default();
        let first = found.first().map(|e| e.field());
        self.errors.set(found);
        let target = match first {
            Some("amount") => self.id("other_amount"),
            Some("frequency") => self.id("frequency-once"),
            Some(field) => self.id(field),
            None => return,
        };
        if let Some(el) = document().get_element_by_id(&target) {
            if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        }
    }
}

/// The form's values as it would send them, read through the same door as the server's.
fn read_form(form: &web_sys::HtmlFormElement) -> Option<DonationForm> {
    let data = web_sys::FormData::new_with_form(form).ok()?;
    let pairs: Vec<(&str, String)> = ["amount", "other_amount", "currency", "frequency", "locale"]
        .into_iter()
        .filter_map(|key| data.get(key).as_string().map(|value| (key, value)))
        .collect();
    Some(DonationForm::from_pairs(
        pairs.iter().map(|(key, value)| (*key, value.as_str())),
    ))
}

/// The donate form: preset or typed amount, one-off or monthly (where the site offers monthly
/// gifts), currency, and a line saying where the gift is completed. A plain GET to
/// `/donate/checkout`; with JavaScript it is checked before it leaves, with the same rules the
/// server applies, and the line follows the values chosen.
#[component]
pub fn DonateFormView(
    locale: Locale,
    settings: DonationSettings,
    /// Makes the ids of this form unique on the page.
    prefix: &'static str,
    /// Values to show (after a failed submission).
    #[prop(optional)]
    values: DonationForm,
    /// What was wrong with them.
    #[prop(optional)]
    errors: Vec<DonationError>,
) -> impl IntoView {
    let t = locale.messages();
    let currencies = settings.currencies.clone();
    let currency = settings.currency_or_default(&values.currency).to_owned();
    let monthly = settings.offers(Frequency::Monthly);
    let form = FormState {
        locale,
        prefix,
        errors: RwSignal::new(errors),
        settings: StoredValue::new(settings),
    };
    let form_ref = NodeRef::<html::Form>::new();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        if let Some(element) = form_ref.get() {
            form.check(ev, &element);
        }
    };
    let summary = move || {
        (!form.errors.get().is_empty())
            .then(|| view! { <p class="form-errors" role="alert">{t.donate_errors_heading}</p> })
    };
    let frequency = if monthly && values.frequency == "monthly" {
        "monthly"
    } else {
        "once"
    };
    // What the form holds, while JavaScript follows it; on the server (and so without
    // JavaScript) nothing, and the line says only what cannot change.
    let chosen = RwSignal::new(None::<DonationForm>);
    let follow = move || {
        if let Some(element) = form_ref.get_untracked() {
            chosen.set(read_form(&element));
        }
    };
    // Runs once the form is in the page (effects run in the browser only), and reads what the
    // browser may have restored into it.
    Effect::new(move |_| {
        if let Some(_element) = form_ref.get() {
            follow();
            #[cfg(feature = "hydrate")]
            super::hydrated(&_element);
        }
    });
    let note_id = form.id("handoff");
    let note = move || {
        form.settings
            .with_value(|s| s.hand_off_note(locale, chosen.get().as_ref()))
    };
    let frequency_field = if monthly {
        Either::Left(view! { <FrequencyFieldset form frequency /> })
    } else {
        // One-off is the only gift: nothing to choose, and the line by the button says so.
        Either::Right(view! {
            <input type="hidden" name="frequency" value="once" />
            {form.error_for("frequency")}
        })
    };
    view! {
        <form class="donate-form" method="get" action="/donate/checkout" novalidate node_ref=form_ref on:submit=on_submit on:input=move |_| follow()>
            {summary}
            <input type="hidden" name="locale" value=locale.code() />
            <AmountFieldset form amount=values.amount />
            {frequency_field}
            <CurrencyField form currencies currency />
            {form.error_for("locale")}
            <button type="submit" class="button" aria-describedby=note_id.clone()>{t.donate_submit}</button>
            <p class="handoff" id=note_id>{note}</p>
            <p class="hint">{t.donate_secure_note}</p>
        </form>
    }
}

/// The amount: preset choices and a typed amount, with the limits as a hint.
#[component]
fn AmountFieldset(form: FormState, amount: String) -> impl IntoView {
    let t = form.locale.messages();
    let (presets, hint) = form.settings.with_value(|s| {
        let hint = fill(
            t.donate_amount_hint,
            &[("min", &s.minimum.to_string()), ("max", &s.maximum.to_string())],
        );
        (s.presets.clone(), hint)
    });
    let preset_picked = presets.iter().any(|p| p.to_string() == amount);
    let picked = if amount.is_empty() {
        presets
            .get(1)
            .or(presets.first())
            .map(u32::to_string)
            .unwrap_or_default()
    } else {
        amount.clone()
    };
    let hint_id = form.id("amount-hint");
    let choices = presets
        .iter()
        .map(|preset| {
            let value = preset.to_string();
            let radio_id = form.id(&format!("amount-{preset}"));
            view! {
                <span class="choice">
                    <input type="radio" id=radio_id.clone() name="amount" value=value.clone() checked=picked == value />
                    <label for=radio_id>{value.clone()}</label>
                </span>
            }
        })
        .collect_view();
    view! {
        <fieldset aria-describedby=hint_id.clone()>
            <legend>{t.donate_amount_legend}</legend>
            <div class="choices">{choices}</div>
            <label for=form.id("other_amount")>{t.donate_amount_custom}</label>
            <input
                type="text"
                inputmode="decimal"
                autocomplete="off"
                id=form.id("other_amount")
                name="other_amount"
                value=(!preset_picked).then_some(amount)
                aria-invalid=form.invalid("amount")
                aria-describedby=form.described("amount", Some(hint_id.clone()))
            />
            <p class="hint" id=hint_id.clone()>{hint}</p>
            {form.error_for("amount")}
        </fieldset>
    }
}

/// One-off or monthly.
#[component]
fn FrequencyFieldset(form: FormState, frequency: &'static str) -> impl IntoView {
    let t = form.locale.messages();
    let choice = move |value: &'static str, label: &'static str| {
        let id = form.id(&format!("frequency-{value}"));
        view! {
            <span class="choice">
                <input type="radio" id=id.clone() name="frequency" value=value checked=frequency == value />
                <label for=id>{label}</label>
            </span>
        }
    };
    view! {
        <fieldset>
            <legend>{t.donate_frequency_legend}</legend>
            <div class="choices">
                {choice("once", t.donate_frequency_once)}
                {choice("monthly", t.donate_frequency_monthly)}
            </div>
            {form.error_for("frequency")}
        </fieldset>
    }
}

/// The currency, from the configured ones.
#[component]
fn CurrencyField(form: FormState, currencies: Vec<String>, currency: String) -> impl IntoView {
    let t = form.locale.messages();
    let options = currencies
        .into_iter()
        .map(|c| {
            let selected = c == currency;
            view! { <option value=c.clone() selected=selected>{c.clone()}</option> }
        })
        .collect_view();
    view! {
        <div class="field">
            <label for=form.id("currency")>{t.donate_currency_label}</label>
            <select id=form.id("currency") name="currency" aria-invalid=form.invalid("currency") aria-describedby=form.described("currency", None)>
                {options}
            </select>
            {form.error_for("currency")}
        </div>
    }
}
