import { test, expect, messages, ONE_OFF_ONLY } from "./fixtures/site";
import { catchProvider, DonateForm } from "./fixtures/donate";

test.describe("donation", () => {
  test("the dialog opens by mouse, keeps focus, closes with Escape and returns focus", async ({ site, page }) => {
    const t = messages.es;
    await site.visit("/es/");
    const button = page.locator(".donate-cta").getByRole("link", { name: t.donate_button });
    await button.click();
    const dialog = page.getByRole("dialog", { name: t.donate_title });
    await expect(dialog).toBeVisible();
    await expect(page).toHaveURL("/es/");
    for (let i = 0; i < 14; i++) {
      await page.keyboard.press(i % 3 === 2 ? "Shift+Tab" : "Tab");
      expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
    }
    await site.checkA11y();
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    await expect(button).toBeFocused();
  });

  test("the dialog opens by keyboard and closes with its close button", async ({ site, page }) => {
    const t = messages.en;
    await site.visit("/en/");
    const button = page.locator(".donate-cta").getByRole("link", { name: t.donate_button });
    await button.focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: t.donate_title });
    await expect(dialog).toBeVisible();
    expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
    await dialog.getByRole("button", { name: t.donate_close }).click();
    await expect(dialog).toBeHidden();
    await expect(button).toBeFocused();
  });

  test("a valid donation reaches the provider with the right values", async ({ site, page }) => {
    const handOff = await catchProvider(page);
    await site.visit("/es/");
    await page.locator(".donate-cta").getByRole("link", { name: messages.es.donate_button }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText("100", { exact: true }).click();
    await dialog.getByText(messages.es.donate_frequency_monthly).click();
    await dialog.getByLabel(messages.es.donate_currency_label).selectOption("EUR");
    await dialog.getByRole("button", { name: messages.es.donate_submit }).click();
    const url = await handOff();
    expect(url.host).toBe("www.paypal.com");
    expect(url.pathname).toBe("/cgi-bin/webscr");
    expect(url.searchParams.get("cmd")).toBe("_xclick-subscriptions");
    expect(url.searchParams.get("a3")).toBe("100");
    expect(url.searchParams.get("t3")).toBe("M");
    expect(url.searchParams.get("currency_code")).toBe("EUR");
    expect(url.searchParams.get("lc")).toBe("es");
    expect(url.searchParams.get("return")).toBe("http://127.0.0.1:3000/es/donar/gracias?frequency=monthly");
    site.forgetProblems(); // the aborted hand-off is reported by the browser itself
  });

  test("a wrong amount is stopped in the dialog with its message", async ({ site, page }) => {
    await site.visit("/en/");
    await page.locator(".donate-cta").getByRole("link", { name: messages.en.donate_button }).click();
    const dialog = page.getByRole("dialog");
    const other = dialog.getByLabel(messages.en.donate_amount_custom);
    await other.fill("12,345");
    await dialog.getByRole("button", { name: messages.en.donate_submit }).click();
    await expect(dialog.getByText(messages.en.donate_error_amount_decimals)).toBeVisible();
    await expect(other).toBeFocused();
    await expect(other).toHaveAttribute("aria-invalid", "true");
    await expect(page).toHaveURL("/en/");
  });

  const invalid: [string, keyof typeof messages.en][] = [
    ["amount=&currency=USD&frequency=once", "donate_error_amount_missing"],
    ["amount=abc&currency=USD&frequency=once", "donate_error_amount_invalid"],
    ["amount=1&currency=USD&frequency=once", "donate_error_amount_range"],
    ["amount=5.555&currency=USD&frequency=once", "donate_error_amount_decimals"],
    ["amount=50&currency=GBP&frequency=once", "donate_error_currency"],
    ["amount=50&currency=USD&frequency=weekly", "donate_error_frequency"],
  ];
  for (const [query, key] of invalid) {
    test(`the hand-off refuses ${query} with its message @nojs`, async ({ site, page }) => {
      const response = await site.visit(`/donate/checkout?${query}&locale=en`, { status: 400 });
      expect(response!.headers()["location"]).toBeUndefined();
      await expect(page.locator("html")).toHaveAttribute("lang", "en");
      const text = messages.en[key].replace("{min}", "5").replace("{max}", "10000");
      await expect(page.getByText(text)).toBeVisible();
    });
  }

  test("no value can move the redirect elsewhere @nojs", async ({ request }) => {
    const cases: [string, number][] = [
      // An unknown key is ignored: the hand-off goes ahead, to the provider and back to us.
      ["amount=50&currency=USD&frequency=once&locale=es&return=https://evil.example", 303],
      ["amount=50%26business%3Devil&currency=USD&frequency=once&locale=es", 400],
      ["amount=50&currency=USD%2F%2Fevil.example&frequency=once&locale=es", 400],
      ["amount=50&currency=USD&frequency=once%23%40evil.example&locale=es", 400],
      ["amount=50&currency=USD&frequency=once&locale=es%3Fnext%3Dhttps%3A%2F%2Fevil.example", 400],
    ];
    for (const [query, status] of cases) {
      const res = await request.get(`/donate/checkout?${query}`, { maxRedirects: 0 });
      expect(res.status(), query).toBe(status);
      if (status === 303) {
        const location = new URL(res.headers()["location"]);
        expect(location.origin).toBe("https://www.paypal.com");
        expect(location.searchParams.get("return")).toBe("http://127.0.0.1:3000/es/donar/gracias?frequency=once");
      } else {
        expect(res.headers()["location"], query).toBeUndefined();
      }
    }
  });

  test("without JavaScript: the button leads to the page, the form to the provider @nojs", async ({ site, page, javaScriptEnabled }) => {
    test.skip(javaScriptEnabled, "with JavaScript the button opens the dialog (tested above)");
    const handOff = await catchProvider(page);
    await site.visit("/es/");
    await page.locator(".donate-cta").getByRole("link", { name: messages.es.donate_button }).click();
    await expect(page).toHaveURL("/es/donar");
    await site.hydrated();
    await site.checkA11y();
    await page.getByLabel(messages.es.donate_amount_custom).fill("30,50");
    await page.getByRole("button", { name: messages.es.donate_submit }).click();
    const url = await handOff();
    expect(url.searchParams.get("amount")).toBe("30.50");
    expect(url.searchParams.get("currency_code")).toBe("USD");
    site.forgetProblems(); // the aborted hand-off is reported by the browser itself
  });

  test("the thank-you page @nojs", async ({ site, page }) => {
    await site.visit("/en/donate/thank-you");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(messages.en.thanks_title);
    await page.getByRole("link", { name: messages.en.thanks_back }).click();
    await expect(page).toHaveURL("/en/stories");
  });

  test("the line by the button follows the amount, frequency and currency chosen", async ({ site, page, javaScriptEnabled }) => {
    test.skip(!javaScriptEnabled, "without JavaScript the line cannot follow the form (tested below)");
    await site.visit("/es/donar");
    const form = new DonateForm(page, "es");
    const line = (key: Parameters<DonateForm["handOffLine"]>[0], values: Record<string, string> = {}) =>
      form.handOffLine(key, { provider: "PayPal", ...values });
    await form.expectHandOff(line("donate_handoff_once", { amount: "50", currency: "USD" }));
    await form.pick("25");
    await form.chooseMonthly();
    await form.expectHandOff(line("donate_handoff_monthly", { amount: "25", currency: "USD" }));
    expect(line("donate_handoff_monthly", { amount: "25", currency: "USD" })).toBe(
      "Continuarás en PayPal para completar tu donación mensual de 25 USD.",
    );
    await form.chooseCurrency("EUR");
    await form.type("30,5");
    await form.expectHandOff(line("donate_handoff_monthly", { amount: "30,50", currency: "EUR" }));
    await form.type("abc");
    await form.expectHandOff(line("donate_handoff_monthly_any"));
    await site.checkA11y();
  });

  test("the dialog's line follows the form too", async ({ site, page, javaScriptEnabled }) => {
    test.skip(!javaScriptEnabled, "without JavaScript the button leads to the donate page");
    await site.visit("/en/");
    await page.locator(".donate-cta").getByRole("link", { name: messages.en.donate_button }).click();
    const form = new DonateForm(page.getByRole("dialog", { name: messages.en.donate_title }), "en");
    await form.chooseMonthly();
    const monthly = form.handOffLine("donate_handoff_monthly", { provider: "PayPal", amount: "50", currency: "USD" });
    expect(monthly).toBe("You will continue on PayPal to complete your monthly donation of 50 USD.");
    await form.expectHandOff(monthly);
    await site.checkA11y();
  });

  test("without JavaScript the line names the provider @nojs", async ({ site, page, javaScriptEnabled }) => {
    test.skip(javaScriptEnabled, "with JavaScript the line follows the form (tested above)");
    await site.visit("/es/donar");
    const form = new DonateForm(page, "es");
    await expect(form.monthly).toHaveCount(1);
    await form.expectHandOff(form.handOffLine("donate_handoff", { provider: "PayPal" }));
  });

  test("where only one-off gifts are offered, the form has no monthly choice and says so @nojs", async ({ site, page, javaScriptEnabled }) => {
    const handOff = await catchProvider(page, "https://pay.example");
    await site.visit(`${ONE_OFF_ONLY}/es/donar`);
    const form = new DonateForm(page, "es");
    await expect(form.monthly).toHaveCount(0);
    await expect(form.frequencyGroup).toHaveCount(0);
    const provider = { provider: "Pay Example" };
    await form.expectHandOff(
      javaScriptEnabled
        ? form.handOffLine("donate_handoff_once", { ...provider, amount: "50", currency: "USD" })
        : form.handOffLine("donate_handoff_once_any", provider),
    );
    await form.submit.click();
    const url = await handOff();
    expect(url.searchParams.get("amount")).toBe("50");
    expect(url.searchParams.get("f")).toBe("once");
    expect(url.searchParams.get("r")).toBe(`${ONE_OFF_ONLY}/es/donar/gracias?frequency=once`);
    site.forgetProblems(); // the aborted hand-off is reported by the browser itself
  });

  test("where only one-off gifts are offered, the dialog has no monthly choice", async ({ site, page, javaScriptEnabled }) => {
    test.skip(!javaScriptEnabled, "without JavaScript the button leads to the donate page (tested above)");
    await site.visit(`${ONE_OFF_ONLY}/en/`);
    await page.locator(".donate-cta").getByRole("link", { name: messages.en.donate_button }).click();
    const dialog = page.getByRole("dialog", { name: messages.en.donate_title });
    await expect(dialog).toBeVisible();
    const form = new DonateForm(dialog, "en");
    await expect(form.monthly).toHaveCount(0);
    await form.pick("10");
    await form.expectHandOff(form.handOffLine("donate_handoff_once", { provider: "Pay Example", amount: "10", currency: "USD" }));
    await site.checkA11y();
  });

  test("where only one-off gifts are offered, a crafted monthly gift is refused with its message @nojs", async ({ site, page, request }) => {
    for (const lang of ["es", "en"] as const) {
      const url = `${ONE_OFF_ONLY}/donate/checkout?amount=50&currency=USD&frequency=monthly&locale=${lang}`;
      const res = await request.get(url, { maxRedirects: 0 });
      expect(res.status()).toBe(400);
      expect(res.headers()["location"]).toBeUndefined();
      await site.visit(url, { status: 400 });
      await expect(page.getByText(messages[lang].donate_error_monthly_unavailable)).toBeVisible();
      await expect(new DonateForm(page, lang).monthly).toHaveCount(0);
    }
  });

  test("the thank-you page names the frequency @nojs", async ({ site, page }) => {
    await site.visit("/es/donar/gracias?frequency=monthly");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(messages.es.thanks_title_monthly);
    await expect(page.getByText(messages.es.thanks_text_monthly)).toBeVisible();
    await site.visit("/en/donate/thank-you?frequency=once&tx=1");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(messages.en.thanks_title_once);
  });
});
