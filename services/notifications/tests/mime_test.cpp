#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "notifications/mime.hpp"
#include "notifications/templates.hpp"

using namespace chance::notifications;

TEST(Mime, HeadersAreEncodedAndPartsAreBase64) {
    Email e{"Шанс-видео",      "no-reply@chance-video.local", "",
            "anna@example.ru", "Премьера оплачена",           "текст",
            "<p>html</p>",     "abc@chance-video.local",      rfc5322_date(0)};
    auto m = build_mime(e, "BOUND");
    EXPECT_NE(m.find("Subject: =?UTF-8?B?0J/RgNC10LzRjNC10YDQsCDQvtC/0LvQsNGH0LXQvdCw?=\r\n"), std::string::npos) << m;
    EXPECT_NE(m.find("Message-ID: <abc@chance-video.local>\r\n"), std::string::npos);
    EXPECT_NE(m.find("Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"), std::string::npos);
    EXPECT_NE(m.find("Content-Type: multipart/alternative; boundary=\"BOUND\""), std::string::npos);
    EXPECT_NE(m.find("--BOUND\r\nContent-Type: text/plain; charset=utf-8"), std::string::npos);
    EXPECT_NE(m.find("--BOUND--\r\n"), std::string::npos);
    EXPECT_EQ(m.find("Премьера"), std::string::npos);  // nothing raw 8-bit in headers or bodies
    EXPECT_EQ(encode_header_word("plain ascii"), "plain ascii");
}

TEST(Templates, PurchaseShowsTheWindowInTheCustomersTimeAndEscapesHtml) {
    auto params =
        boost::json::parse(
            R"({"order_id":"o1","total":71880,"items":[{"title":"<Маузер>","starts_at":"2026-11-28T18:00:00Z",)"
            R"("ends_at":"2026-11-30T18:00:00Z","amount":71880}]})")
            .as_object();
    auto local = [](const std::string& t) { return "L(" + t.substr(0, 10) + ")"; };
    auto r = render("purchase_confirmed", params, "Анна", local);
    EXPECT_EQ(r.subject, "Премьера оплачена: «<Маузер>»");
    EXPECT_NE(r.text.find("смотреть можно с L(2026-11-28) — L(2026-11-30)"), std::string::npos) << r.text;
    EXPECT_NE(r.text.find("718,80\u00A0₽"), std::string::npos);
    EXPECT_NE(r.html.find("&lt;Маузер&gt;"), std::string::npos);
    EXPECT_EQ(r.html.find("<Маузер>"), std::string::npos);
}

TEST(Templates, PurchaseOfAnOpenWindowLinksToWatchOnlyForThatItem) {
    auto params = boost::json::parse(R"({"order_id":"o1","total":2,"items":[
        {"title":"Сейчас","starts_at":"2026-11-28T18:00:00Z","ends_at":"2026-11-29T18:00:00Z","amount":1,
         "watch_url":"https://x.test/watch/7?a=1&b=2"},
        {"title":"Позже","starts_at":"2026-12-28T18:00:00Z","ends_at":"2026-12-29T18:00:00Z","amount":1}]})")
                      .as_object();
    auto r = render("purchase_confirmed", params, "Анна", [](const std::string& t) { return t; });
    EXPECT_NE(r.text.find("«Сейчас»: смотреть можно с 2026-11-28T18:00:00Z — 2026-11-29T18:00:00Z "
                          "(0,01 ₽)\n"
                          "  Окно просмотра уже открыто, смотреть: https://x.test/watch/7?a=1&b=2\n• «Позже»"),
              std::string::npos)
        << r.text;
    EXPECT_NE(r.html.find("<a href=\"https://x.test/watch/7?a=1&amp;b=2\">Смотреть сейчас</a>"), std::string::npos);
    auto count = [](const std::string& s, const std::string& what) {
        size_t n = 0;
        for (auto at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
        return n;
    };
    EXPECT_EQ(count(r.text, "/watch/"), 1u);
    EXPECT_EQ(count(r.html, "/watch/"), 1u);
}

TEST(Templates, MissingParametersAndUnknownNamesAreRejected) {
    auto local = [](const std::string& t) { return t; };
    EXPECT_THROW(render("rental_ending_soon", boost::json::object{{"title", "X"}}, "А", local), std::invalid_argument);
    EXPECT_THROW(render("no_such_template", {}, "А", local), std::invalid_argument);
    EXPECT_FALSE(known_template("no_such_template"));
    EXPECT_TRUE(known_template("topup_failed"));
    auto ok = render("topup_succeeded", boost::json::object{{"amount", 100000}, {"payment_id", "p"}}, "А", local);
    EXPECT_EQ(ok.subject, "Баланс пополнен на 1\u00A0000,00\u00A0₽");
}

TEST(Templates, APasswordResetCarriesItsLinkAndHowLongItWorksAndTheChangeNoticeSaysWhatToDo) {
    auto local = [](const std::string& t) { return t; };
    auto url = std::string("https://shop.example/reset-password#token=abc_-123");
    auto r = render("password_reset", boost::json::object{{"reset_url", url}, {"minutes", 30}}, "Анна", local);
    EXPECT_EQ(r.subject, "Смена пароля в «Шанс-видео»");
    EXPECT_NE(r.text.find(url), std::string::npos);
    EXPECT_NE(r.text.find("действует 30 минут"), std::string::npos);
    EXPECT_NE(r.html.find("href=\"" + url + "\""), std::string::npos);
    EXPECT_TRUE(r.sms.empty());  // by email only
    EXPECT_THROW(render("password_reset", boost::json::object{{"minutes", 30}}, "Анна", local), std::invalid_argument);
    auto changed =
        render("password_changed", boost::json::object{{"login_url", "https://shop.example/login"}}, "Анна", local);
    EXPECT_EQ(changed.subject, "Пароль изменён");
    EXPECT_NE(changed.text.find("Забыли пароль?"), std::string::npos);
    EXPECT_TRUE(known_template("password_reset"));
    EXPECT_TRUE(known_template("password_changed"));
}

TEST(Templates, AnAddressIsConfirmedByItsLinkAndTheOldAddressIsToldOfAChange) {
    auto local = [](const std::string& t) { return t; };
    auto url = std::string("https://shop.example/verify-email#token=abc_-123");
    boost::json::object p{{"verify_url", url}, {"hours", 24}, {"email", "new@example.ru"}};
    auto verify = render("email_verify", p, "Анна", local);
    EXPECT_EQ(verify.subject, "Подтвердите адрес почты");
    EXPECT_NE(verify.text.find(url), std::string::npos);
    EXPECT_NE(verify.text.find("действует 24 часа"), std::string::npos);
    EXPECT_NE(verify.html.find("href=\"" + url + "\""), std::string::npos);
    EXPECT_TRUE(verify.sms.empty());
    auto change = render("email_change_verify", p, "Анна", local);
    EXPECT_EQ(change.subject, "Новый адрес почты в «Шанс-видео»");
    EXPECT_NE(change.text.find("new@example.ru"), std::string::npos);
    EXPECT_NE(change.text.find("адрес останется прежним"), std::string::npos);
    auto changed = render("email_changed", boost::json::object{{"new_email", "n***@example.ru"}}, "Анна", local);
    EXPECT_EQ(changed.subject, "Адрес почты изменён");
    EXPECT_NE(changed.text.find("n***@example.ru"), std::string::npos);
    EXPECT_THROW(render("email_verify", boost::json::object{{"hours", 24}}, "Анна", local), std::invalid_argument);
    for (auto name : {"email_verify", "email_change_verify", "email_changed"}) EXPECT_TRUE(known_template(name));
}

TEST(Templates, AStaffRefundSaysHowMuchWhyAndWhereTheReceiptIs) {
    auto local = [](const std::string& t) { return t; };
    boost::json::object p{{"amount", 10000},
                          {"reason", "Плохо работал звук <b>"},
                          {"title", "Маузер"},
                          {"orders_url", "https://shop.example/orders?order=1"}};
    auto r = render("staff_refund", p, "Анна", local);
    EXPECT_EQ(r.subject, "Возврат по аренде «Маузер»: 100,00\u00a0₽");
    EXPECT_NE(r.text.find("Причина: Плохо работал звук <b>."), std::string::npos);
    EXPECT_NE(r.html.find("Плохо работал звук &lt;b&gt;"), std::string::npos);  // escaped
    EXPECT_NE(r.text.find("https://shop.example/orders?order=1"), std::string::npos);
    p.erase("title");
    EXPECT_EQ(render("staff_refund", p, "Анна", local).subject, "Возврат по заказу: 100,00\u00a0₽");
    EXPECT_THROW(render("staff_refund", boost::json::object{{"amount", 1}}, "Анна", local), std::invalid_argument);
    EXPECT_TRUE(known_template("staff_refund"));
}

TEST(Templates, StartingSoonAndNotStartedWatchingNameTheTimeAndTheLinkToWatch) {
    auto local = [](const std::string& t) { return t == "2026-12-07T17:00:00Z" ? std::string("07.12.2026 20:00") : t; };
    boost::json::object p{{"title", "Маузер"},
                          {"starts_at", "2026-12-07T17:00:00Z"},
                          {"ends_at", "2026-12-07T17:00:00Z"},
                          {"watch_url", "https://shop.example/watch/5"}};
    auto soon = render("rental_starting_soon", p, "Анна", local);
    EXPECT_EQ(soon.subject, "Скоро начало: «Маузер»");
    EXPECT_NE(soon.text.find("07.12.2026 20:00"), std::string::npos);
    EXPECT_NE(soon.html.find("https://shop.example/watch/5"), std::string::npos);
    EXPECT_EQ(soon.sms, "Шанс-видео: «Маузер» можно смотреть с 07.12.2026 20:00");
    auto idle = render("rental_unwatched", p, "Анна", local);
    EXPECT_EQ(idle.subject, "Вы ещё не начали смотреть «Маузер»");
    EXPECT_NE(idle.text.find("до 07.12.2026 20:00: https://shop.example/watch/5"), std::string::npos);
    p.erase("watch_url");
    EXPECT_THROW(render("rental_unwatched", p, "Анна", local), std::invalid_argument);
    EXPECT_TRUE(known_template("rental_starting_soon"));
    EXPECT_TRUE(known_template("rental_unwatched"));
}

TEST(Templates, APurchaseNamesItsTheatreVoucher) {
    auto local = [](const std::string& t) { return t; };
    boost::json::object item{
        {"title", "Маузер"},
        {"starts_at", "2026-12-07T17:00:00Z"},
        {"ends_at", "2026-12-08T17:00:00Z"},
        {"amount", 47920},
        {"voucher", boost::json::object{
                        {"code", "7F3A-91C2-0B4D-E5A8"}, {"amount", 47920}, {"valid_until", "2027-02-01T00:00:00Z"}}}};
    boost::json::object p{{"items", boost::json::array{item}}, {"total", 47920}};
    auto r = render("purchase_confirmed", p, "Анна", local);
    EXPECT_NE(r.text.find("Ваучер в кассу театра на 479,20\u00a0₽ (действует до "
                          "2027-02-01T00:00:00Z): "
                          "7F3A-91C2-0B4D-E5A8"),
              std::string::npos)
        << r.text;
    EXPECT_NE(r.html.find("7F3A-91C2-0B4D-E5A8"), std::string::npos);
}

TEST(Templates, ACancelledShowSaysWhenItWasAndThatTheMoneyIsBack) {
    auto local = [](const std::string& t) { return t == "2026-12-09T16:00:00Z" ? std::string("09.12.2026 19:00") : t; };
    boost::json::object p{{"title", "Маузер"}, {"starts_at", "2026-12-09T16:00:00Z"}, {"refund", 59900}};
    auto r = render("show_cancelled", p, "Анна", local);
    EXPECT_EQ(r.subject, "Показ «Маузер» 09.12.2026 19:00 отменён");
    EXPECT_NE(r.text.find("599,00\u00a0₽, вернулись на ваш баланс"), std::string::npos) << r.text;
    EXPECT_NE(r.sms.find("отменён"), std::string::npos);
    p.erase("refund");
    EXPECT_THROW(render("show_cancelled", p, "Анна", local), std::invalid_argument);
    EXPECT_TRUE(known_template("show_cancelled"));
}

TEST(Templates, APhoneCodeIsAShortSmsWithTheCodeAndNothingElseToClick) {
    auto local = [](const std::string& t) { return t; };
    auto r = render("phone_verify", boost::json::object{{"code", "042917"}, {"minutes", 10}}, "Анна", local);
    EXPECT_EQ(r.sms, "Шанс-видео: код 042917 для подтверждения номера. Никому его не сообщайте.");
    EXPECT_EQ(r.sms.find("http"), std::string::npos);
    EXPECT_NE(r.text.find("042917"), std::string::npos);
    EXPECT_THROW(render("phone_verify", boost::json::object{{"code", "12ab56"}, {"minutes", 10}}, "Анна", local),
                 std::invalid_argument);
    EXPECT_THROW(render("phone_verify", boost::json::object{{"minutes", 10}}, "Анна", local), std::invalid_argument);
    EXPECT_TRUE(known_template("phone_verify"));
}

TEST(Mime, AReminderCarriesAOneClickUnsubscribeAndOtherEmailsDoNot) {
    Email e{"Шанс-видео",
            "no-reply@x.ru",
            "",
            "anna@example.ru",
            "Тема",
            "текст",
            "<p>html</p>",
            "id@x",
            "date",
            "https://shop.example/api/v1/notifications/unsubscribe?u=7&t=abc"};
    auto m = build_mime(e, "b");
    EXPECT_NE(m.find("\r\nList-Unsubscribe: <https://shop.example/api/v1/notifications/unsubscribe?u=7&t=abc>\r\n"),
              std::string::npos)
        << m;
    EXPECT_NE(m.find("\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"), std::string::npos);
    EXPECT_LT(m.find("List-Unsubscribe"), m.find("\r\n\r\n"));  // a header, not the body
    e.unsubscribe_url.clear();
    EXPECT_EQ(build_mime(e, "b").find("List-Unsubscribe"), std::string::npos);
}

TEST(Templates, AReminderWithAnUnsubscribePageSaysHowToStopThem) {
    auto local = [](const std::string& t) { return t; };
    boost::json::object p{{"title", "Маузер"}, {"ends_at", "2026-12-01T19:00:00Z"}};
    EXPECT_EQ(render("rental_ending_soon", p, "Анна", local).text.find("Отписаться"), std::string::npos);
    p["unsubscribe_page"] = "https://shop.example/unsubscribe?u=7&t=ab";
    auto r = render("rental_ending_soon", p, "Анна", local);
    EXPECT_NE(r.text.find("Отписаться: https://shop.example/unsubscribe?u=7&t=ab"), std::string::npos);
    auto link = r.html.find("href=\"https://shop.example/unsubscribe?u=7&amp;t=ab\"");
    EXPECT_NE(link, std::string::npos) << r.html;
    EXPECT_LT(link, r.html.find("</body>"));
}
