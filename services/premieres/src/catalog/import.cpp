#include "premieres/catalog/import.hpp"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <chrono>
#include <map>
#include <set>

#include "chance/core/json.hpp"
#include "chance/core/log.hpp"
#include "chance/core/uuid.hpp"
#include "premieres/catalog/admin_store.hpp"
#include "premieres/http.hpp"

namespace chance::premieres {

using boost::json::array;
using boost::json::object;

namespace {
constexpr int kBatch = 250;          // premieres written per transaction
constexpr int kListedErrors = 1000;  // errors listed in an answer (all are counted)

constexpr pg::Query kInsertJob{"import_insert",
                               "INSERT INTO catalog_imports (id, admin, format, total) VALUES ($1::uuid, $2, $3, $4)"};
constexpr pg::Query kProgress{
    "import_progress",
    "UPDATE catalog_imports SET done = done + $2, created = created + $3, updated = updated + $4, "
    "unchanged = unchanged + $5, heartbeat_at = now() WHERE id = $1::uuid"};
constexpr pg::Query kFinish{
    "import_finish",
    "UPDATE catalog_imports SET status = $2, error = $3, finished_at = now(), heartbeat_at = now() "
    "WHERE id = $1::uuid"};
// One import ($1) or the 20 latest ($1 null), newest first.
constexpr pg::Query kJobs{
    "import_jobs",
    "SELECT id::text AS id, admin, format, CASE WHEN status = 'running' AND heartbeat_at < now() - interval '30 "
    "seconds' THEN 'interrupted' ELSE status END AS status, total, done, created, updated, unchanged, error, "
    "rfc3339(started_at) AS started_at, rfc3339(finished_at) AS finished_at FROM catalog_imports "
    "WHERE $1::uuid IS NULL OR id = $1::uuid ORDER BY started_at DESC LIMIT 20"};

constexpr std::array<std::string_view, 12> kTextColumns{
    "slug",           "title",           "theatre",           "director",
    "genre",          "age_rating",      "description_short", "description_full",
    "discount_until", "reservable_from", "reservable_until",  "live_at"};
constexpr std::array<std::string_view, 4> kIntegerColumns{"duration_minutes", "discount_percent", "base_period_hours",
                                                          "capacity"};
constexpr std::array<std::string_view, 2> kPriceColumns{"price_theatre", "price_online"};
constexpr std::array<std::string_view, 2> kFlagColumns{"featured", "hidden"};

template <size_t N>
bool one_of(const std::array<std::string_view, N>& names, std::string_view name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

Problem file_problem(std::string message) {
    return bad_request("Файл не прочитан: " + message, {{"file", message}}).with_type("import-file");
}

std::string trim(std::string_view s) {
    auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return std::string(s);
}

std::vector<std::string> split(std::string_view s, char by) {
    std::vector<std::string> out;
    size_t start = 0;
    for (;;) {
        auto at = s.find(by, start);
        out.push_back(trim(s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start)));
        if (at == std::string_view::npos) return out;
        start = at + 1;
    }
}

std::optional<int64_t> integer(std::string_view s) {
    if (s.empty() || s.size() > 12) return std::nullopt;
    bool negative = s.front() == '-';
    if (negative) s.remove_prefix(1);
    if (s.empty() || s.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
    int64_t v = std::stoll(std::string(s));
    return negative ? -v : v;
}

// Rubles as people write them («1500», «1 500,50», «1500.5») in kopecks.
std::optional<int64_t> kopecks(std::string_view s) {
    std::string digits;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == ' ') continue;
        if (s.substr(i, 2) == "\xC2\xA0") {  // a no-break space between thousands
            ++i;
            continue;
        }
        digits += s[i];
    }
    auto point = digits.find_first_of(".,");
    auto whole = integer(digits.substr(0, point));
    if (!whole || *whole < 0 || digits.substr(0, point).size() > 10) return std::nullopt;
    int64_t cents = 0;
    if (point != std::string::npos) {
        auto frac = digits.substr(point + 1);
        if (frac.empty() || frac.size() > 2 || frac.find_first_not_of("0123456789") != std::string::npos)
            return std::nullopt;
        cents = std::stoll(frac) * (frac.size() == 1 ? 10 : 1);
    }
    return *whole * 100 + cents;
}

std::optional<bool> flag(const std::string& s) {
    static const std::map<std::string, bool, std::less<>> kWords{
        {"да", true},     {"Да", true},     {"ДА", true},   {"true", true}, {"TRUE", true},
        {"1", true},      {"yes", true},    {"нет", false}, {"Нет", false}, {"НЕТ", false},
        {"false", false}, {"FALSE", false}, {"0", false},   {"no", false}};
    auto it = kWords.find(s);
    if (it == kWords.end()) return std::nullopt;
    return it->second;
}

// A CSV row as the premiere editor's JSON; values that cannot be converted are errors of their column.
object row_object(const std::vector<std::string>& header, const std::vector<std::string>& fields,
                  std::vector<FieldError>& errors) {
    object o;
    for (size_t i = 0; i < header.size(); ++i) {
        const auto& col = header[i];
        auto v = trim(fields[i]);
        if (v.empty()) continue;  // absent: a required column says so
        if (one_of(kTextColumns, col)) {
            o[col] = v;
        } else if (one_of(kIntegerColumns, col)) {
            if (auto n = integer(v))
                o[col] = *n;
            else
                errors.push_back({col, "Целое число"});
        } else if (one_of(kPriceColumns, col)) {
            if (auto k = kopecks(v))
                o[col] = *k;
            else
                errors.push_back({col, "Цена в рублях: 1500 или 1500,50"});
        } else if (one_of(kFlagColumns, col)) {
            if (auto b = flag(v))
                o[col] = *b;
            else
                errors.push_back({col, "да или нет"});
        } else if (col == "periods") {
            array periods;
            bool ok = true;
            for (const auto& p : split(v, '|')) {
                auto colon = p.find(':');
                auto hours = colon == std::string::npos ? std::nullopt : integer(trim(p.substr(0, colon)));
                if (!hours) {
                    ok = false;
                    break;
                }
                auto factor = trim(p.substr(colon + 1));
                for (auto& c : factor)
                    if (c == ',') c = '.';
                periods.push_back(object{{"hours", *hours}, {"factor", factor}});
            }
            if (ok)
                o[col] = std::move(periods);
            else
                errors.push_back({col, "Сроки через |, каждый «часы:множитель»: 24:1|48:1,5"});
        } else if (col == "cast") {
            array cast;
            for (const auto& c : split(v, '|')) {
                if (c.empty()) continue;
                auto colon = c.find(':');
                cast.push_back(object{{"actor", trim(c.substr(0, colon))},
                                      {"role", colon == std::string::npos ? "" : trim(c.substr(colon + 1))}});
            }
            o[col] = std::move(cast);
        }
    }
    return o;
}

// One premiere of the file: its draft, or its errors (read_premiere's, less those of a column already at fault; a
// slug an earlier row has). `rows`: the row of each slug so far.
void take(ImportFile& file, int row, const object& o, std::vector<FieldError> errors,
          std::map<std::string, int>& rows) {
    try {
        auto d = read_premiere(o);
        if (auto [it, fresh] = rows.emplace(d.slug, row); !fresh)
            errors.push_back({"slug", "Этот адрес премьеры уже есть в строке " + std::to_string(it->second)});
        if (errors.empty()) file.drafts.push_back(std::move(d));
    } catch (const Problem& p) {
        for (const auto& e : p.errors()) {
            bool known = false;
            for (const auto& already : errors) known |= already.field == e.field;
            if (!known) errors.push_back(e);
        }
    }
    for (auto& e : errors) file.errors.push_back({row, std::move(e.field), std::move(e.message)});
}

ImportFile read_csv(std::string_view text) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    auto first_line = text.substr(0, text.find('\n'));
    auto semicolons = std::count(first_line.begin(), first_line.end(), ';');
    auto commas = std::count(first_line.begin(), first_line.end(), ',');
    char sep = semicolons >= commas ? ';' : ',';
    std::vector<std::vector<std::string>> records;
    try {
        records = parse_csv(text, sep);
    } catch (const std::invalid_argument&) {
        throw file_problem("кавычка в CSV открыта и не закрыта");
    }
    if (records.empty()) throw file_problem("в файле нет строки заголовка");
    std::vector<std::string> header;
    std::set<std::string> seen;
    for (const auto& h : records.front()) {
        auto name = trim(h);
        if (!one_of(kTextColumns, name) && !one_of(kIntegerColumns, name) && !one_of(kPriceColumns, name) &&
            !one_of(kFlagColumns, name) && name != "periods" && name != "cast")
            throw file_problem("неизвестный столбец «" + name.substr(0, 60) + "»");
        if (!seen.insert(name).second) throw file_problem("столбец «" + name + "» повторяется");
        header.push_back(name);
    }
    ImportFile file{"csv"};
    std::map<std::string, int> slugs;
    for (size_t r = 1; r < records.size(); ++r) {
        const auto& fields = records[r];
        bool blank = true;
        for (const auto& f : fields) blank &= trim(f).empty();
        if (blank) continue;
        if (++file.total > kMaxImportRows)
            throw file_problem("больше " + std::to_string(kMaxImportRows) + " премьер в одном файле");
        int row = static_cast<int>(r) + 1;
        if (fields.size() != header.size()) {
            file.errors.push_back({row, "row",
                                   "Полей в строке " + std::to_string(fields.size()) + ", а столбцов в заголовке " +
                                       std::to_string(header.size())});
            continue;
        }
        std::vector<FieldError> errors;
        auto o = row_object(header, fields, errors);
        take(file, row, o, std::move(errors), slugs);
    }
    return file;
}

ImportFile read_json(std::string_view text) {
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    if (ec) throw file_problem("это не JSON");
    const array* items = v.is_array() ? &v.as_array() : nullptr;
    if (v.is_object())
        if (const auto* p = v.as_object().if_contains("premieres"); p && p->is_array()) items = &p->as_array();
    if (!items) throw file_problem("ожидается массив премьер или {\"premieres\": […]}");
    if (items->size() > static_cast<size_t>(kMaxImportRows))
        throw file_problem("больше " + std::to_string(kMaxImportRows) + " премьер в одном файле");
    ImportFile file{"json"};
    std::map<std::string, int> slugs;
    file.total = static_cast<int>(items->size());
    for (size_t i = 0; i < items->size(); ++i) {
        int row = static_cast<int>(i) + 1;
        if (!(*items)[i].is_object()) {
            file.errors.push_back({row, "premiere", "Ожидается объект премьеры"});
            continue;
        }
        take(file, row, (*items)[i].as_object(), {}, slugs);
    }
    return file;
}

object job_json(const pg::Result& r, int i) {
    return {{"id", r.text(i, "id")},
            {"admin", r.text(i, "admin")},
            {"format", r.text(i, "format")},
            {"status", r.text(i, "status")},
            {"total", r.int64(i, "total")},
            {"done", r.int64(i, "done")},
            {"created", r.int64(i, "created")},
            {"updated", r.int64(i, "updated")},
            {"unchanged", r.int64(i, "unchanged")},
            {"error", text_or_null(r, i, "error")},
            {"started_at", r.text(i, "started_at")},
            {"finished_at", text_or_null(r, i, "finished_at")}};
}
}  // namespace

std::vector<std::vector<std::string>> parse_csv(std::string_view text, char separator) {
    std::vector<std::vector<std::string>> out;
    std::vector<std::string> record;
    std::string field;
    bool quoted = false;     // this field began with a quote
    bool in_quotes = false;  // inside it now
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (in_quotes) {
            if (c != '"') {
                field += c;
            } else if (i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else {
                in_quotes = false;
            }
        } else if (c == '"' && field.empty() && !quoted) {
            in_quotes = quoted = true;
        } else if (c == separator) {
            record.push_back(std::move(field));
            field.clear();
            quoted = false;
        } else if (c == '\r' || c == '\n') {
            record.push_back(std::move(field));
            field.clear();
            quoted = false;
            out.push_back(std::move(record));
            record.clear();
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
        } else {
            field += c;
        }
    }
    if (in_quotes) throw std::invalid_argument("a quoted field is not closed");
    if (!field.empty() || quoted || !record.empty()) {
        record.push_back(std::move(field));
        out.push_back(std::move(record));
    }
    return out;
}

ImportFile read_import(std::string_view body, std::string_view content_type) {
    auto type = content_type.substr(0, content_type.find(';'));
    bool csv = type == "text/csv";
    if (!csv && type != "application/json") throw file_problem("ожидается CSV (text/csv) или JSON (application/json)");
    if (trim(body).empty()) throw file_problem("файл пуст");
    if (!json::valid_utf8(body)) throw file_problem("файл не в кодировке UTF-8");
    auto file = csv ? read_csv(body) : read_json(body);
    if (file.total == 0) throw file_problem("в файле нет ни одной премьеры");
    return file;
}

object CatalogImports::check(const ImportFile& file) {
    if (!file.errors.empty()) {
        array rows;
        for (size_t i = 0; i < file.errors.size() && i < static_cast<size_t>(kListedErrors); ++i)
            rows.push_back(object{
                {"row", file.errors[i].row}, {"field", file.errors[i].field}, {"message", file.errors[i].message}});
        std::set<int> bad;
        for (const auto& e : file.errors) bad.insert(e.row);
        throw unprocessable(
            "В файле есть ошибки: ничего не записано. Исправьте строки из списка и загрузите файл снова")
            .with_type("import-invalid")
            .with("total", file.total)
            .with("valid", file.total - static_cast<int64_t>(bad.size()))
            .with("errors_total", static_cast<int64_t>(file.errors.size()))
            .with("rows", std::move(rows));
    }
    std::vector<std::string> slugs;
    slugs.reserve(file.drafts.size());
    for (const auto& d : file.drafts) slugs.push_back(d.slug);
    auto existing = AdminStore::existing_slugs(pool_, slugs);
    auto updates = static_cast<int64_t>(existing.size());
    return {{"total", file.total},
            {"valid", file.total},
            {"creates", file.total - updates},
            {"updates", updates},
            {"errors", array{}}};
}

object CatalogImports::start(ImportFile file, const std::string& admin) {
    check(file);
    auto id = uuid_v7();
    pool_.exec(kInsertJob, pg::Params(id, admin, file.format, file.total));
    {
        std::lock_guard l(mu_);
        queue_.push_back({id, admin, std::move(file.drafts)});
    }
    cv_.notify_one();
    log::info("catalog import started", {{"import_id", id}, {"admin", admin}, {"total", file.total}});
    return status(id);
}

object CatalogImports::status(const std::string& id) {
    if (!is_uuid(id)) throw not_found("Импорт не найден");
    auto rows = pool_.exec(kJobs, pg::Params(id));
    if (rows.empty()) throw not_found("Импорт не найден");
    return job_json(rows, 0);
}

object CatalogImports::recent() {
    auto rows = pool_.exec(kJobs, pg::Params(nullptr));
    array items;
    for (int i = 0; i < rows.rows(); ++i) items.push_back(job_json(rows, i));
    return {{"items", std::move(items)}};
}

void CatalogImports::run(const std::stop_token& st) {
    while (!st.stop_requested()) {
        Job job;
        {
            std::unique_lock l(mu_);
            if (!cv_.wait(l, st, [this] { return !queue_.empty(); })) return;
            job = std::move(queue_.front());
            queue_.pop_front();
        }
        write(job, st);
    }
}

void CatalogImports::write(const Job& job, const std::stop_token& st) {
    auto started = std::chrono::steady_clock::now();
    try {
        for (size_t from = 0; from < job.drafts.size(); from += kBatch) {
            if (st.stop_requested()) return;  // left running: it reads as interrupted; the same file finishes it
            auto to = std::min(job.drafts.size(), from + kBatch);
            pool_.transact([&](pg::Transaction& tx) {
                AdminStore::set_actor(tx, job.admin);
                auto n = CatalogAdmin::upsert(tx, std::span(job.drafts).subspan(from, to - from), job.admin);
                tx.exec(kProgress,
                        pg::Params(job.id, static_cast<int64_t>(to - from), n.created, n.updated, n.unchanged));
            });
        }
        pool_.exec(kFinish, pg::Params(job.id, std::string("done"), std::optional<std::string>{}));
        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
        log::info("catalog import done", {{"import_id", job.id},
                                          {"premieres", static_cast<int64_t>(job.drafts.size())},
                                          {"ms", static_cast<int64_t>(ms.count())}});
    } catch (const std::exception& e) {
        log::error("catalog import failed", {{"import_id", job.id}, {"error", e.what()}});
        try {
            pool_.exec(kFinish, pg::Params(job.id, std::string("failed"),
                                           std::string("Импорт прерван ошибкой базы данных; загрузите файл снова: "
                                                       "записанные премьеры совпадут по адресу")));
        } catch (const std::exception&) {
        }
    }
    admin_.announce_change();
}

}  // namespace chance::premieres
