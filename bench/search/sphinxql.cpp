// sphinxql: the load generator of bench/search's Sphinx baseline, in C++ like bench/loadgen so that the
// load costs the box about what ours costs it. N threads, each with its own SphinxQL connection (Sphinx speaks
// the MySQL protocol; libmariadb), closed loop: a thread sends its next search when the last one answered.
//
//   bench_sphinxql --port P --terms terms.txt [--mode search|prefix] [--connections 16]
//                  [--duration 5 | --once] [--limit 10] [--dict dict.txt] [--ids ids.txt]
//
// terms.txt: one search text a line. --once sends every line once (an uncached pass, and recall's answers);
// otherwise the lines rotate for --duration seconds.
// --mode search: the text's words, ANDed, ranked by Sphinx with the fields weighted as our search weighs
//   them (title over cast over theatre and director over the descriptions). When nothing matches and --dict
//   is given, Sphinx's own suggest recipe (misc/suggest in its sources) corrects the words the dictionary does
//   not know (`indexer --buildstops dict.txt N --buildfreqs`: "word count" lines): one query of the `suggest`
//   index per such word by the word's trigrams (candidates within 2 letters of its length, ranked by the
//   trigrams they share, then by frequency), the first of the top 10 within Levenshtein distance 2 replaces
//   it, and the corrected text is searched. Those round trips count in the search's latency.
// --mode prefix: search-as-you-type, the last word a prefix (word*).
// Prints one JSON object: searches, their rate, p50/p99 ms, round trips, corrected searches, errors. --ids
// writes, for --once, one line per term in order: the ids of its answer, comma-separated.
#include <mysql.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "chance/core/text.hpp"

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
    unsigned port = 0;
    std::string terms, mode = "search", dict, ids;
    int connections = 16, limit = 10;
    double duration = 5;
    bool once = false;
};

// The index's fields and their weights: our search's A 1.0, B 0.4, C 0.2, D 0.1, times ten (Sphinx's weights
// are integers).
const char* const kOptions =
    " OPTION ranker=proximity_bm25, field_weights=(title=10, cast_names=4, theatre=2, director=2,"
    " description_short=1, description_full=1)";

// UTF-8 to code points and back (the terms and the dictionary come from the catalog: well-formed).
std::u32string decode(const std::string& s) { return chance::text::utf8_decode(s).value_or(std::u32string{}); }

std::string encode(const std::u32string& s) {
    std::string out;
    for (char32_t c : s) chance::text::utf8_append(out, c);
    return out;
}

// The index's charset_table: Latin and Cyrillic lower-cased, ё folded to е, digits kept.
char32_t fold(char32_t c) {
    if (c >= U'A' && c <= U'Z') return c + 32;
    if (c >= U'А' && c <= U'Я') return c + 32;
    if (c == U'Ё' || c == U'ё') return U'е';
    return c;
}

bool word_char(char32_t c) { return (c >= U'0' && c <= U'9') || (c >= U'a' && c <= U'z') || (c >= U'а' && c <= U'я'); }

// The words of a text as the index sees them (folded; anything else separates them, so no query operator
// reaches MATCH()).
std::vector<std::u32string> words_of(const std::string& text) {
    std::vector<std::u32string> out(1);
    for (char32_t c : decode(text)) {
        c = fold(c);
        if (word_char(c)) {
            out.back().push_back(c);
        } else if (!out.back().empty()) {
            out.emplace_back();
        }
    }
    if (out.back().empty()) out.pop_back();
    return out;
}

size_t levenshtein(const std::u32string& a, const std::u32string& b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = up;
        }
    }
    return row[b.size()];
}

bool digits(const std::u32string& w) {
    return std::all_of(w.begin(), w.end(), [](char32_t c) { return c >= U'0' && c <= U'9'; });
}

struct Stats {
    std::vector<double> latencies_ms;
    long round_trips = 0, corrected = 0, errors = 0;
};

class Client {
  public:
    Client(const Options& o, const std::unordered_map<std::u32string, long>& dict) : o_(o), dict_(dict) {
        db_ = mysql_init(nullptr);
        if (!mysql_real_connect(db_, "127.0.0.1", "", "", nullptr, o.port, nullptr, 0))
            throw std::runtime_error(std::string("connect: ") + mysql_error(db_));
    }
    ~Client() { mysql_close(db_); }
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    // One search as a user's client makes it: its answer's ids; round trips and corrections counted in stats.
    std::vector<std::string> search(const std::string& text, Stats& stats) {
        auto words = words_of(text);
        if (words.empty()) return {};
        if (o_.mode == "prefix") {
            stats.round_trips++;
            return ids(query(words, true), stats);
        }
        stats.round_trips++;
        auto found = ids(query(words, false), stats);
        if (!found.empty() || dict_.empty()) return found;
        bool changed = false;
        for (auto& w : words) {
            if (digits(w) || dict_.count(w)) continue;
            stats.round_trips++;
            auto better = suggest(w, stats);
            if (better != w) {
                w = better;
                changed = true;
            }
        }
        if (!changed) return found;
        stats.round_trips++;
        stats.corrected++;
        return ids(query(words, false), stats);
    }

  private:
    std::string query(const std::vector<std::u32string>& words, bool prefix) const {
        std::string match;
        for (const auto& w : words) match += (match.empty() ? "" : " ") + encode(w);
        if (prefix) match += "*";
        return "SELECT id FROM premieres WHERE MATCH('" + match + "') LIMIT " + std::to_string(o_.limit) + kOptions;
    }

    std::vector<std::string> ids(const std::string& sql, Stats& stats) {
        std::vector<std::string> out;
        for (auto& row : rows(sql, stats)) out.push_back(std::move(row[0]));
        return out;
    }

    std::vector<std::vector<std::string>> rows(const std::string& sql, Stats& stats) {
        std::vector<std::vector<std::string>> out;
        if (mysql_real_query(db_, sql.data(), sql.size()) != 0) {
            if (stats.errors++ == 0) std::cerr << "sphinxql: " << mysql_error(db_) << " in " << sql << "\n";
            return out;
        }
        MYSQL_RES* res = mysql_store_result(db_);
        if (!res) return out;
        unsigned n = mysql_num_fields(res);
        while (MYSQL_ROW row = mysql_fetch_row(res)) {
            std::vector<std::string> r;
            for (unsigned i = 0; i < n; ++i) r.emplace_back(row[i] ? row[i] : "");
            out.push_back(std::move(r));
        }
        mysql_free_result(res);
        return out;
    }

    // Sphinx's suggest recipe for one word the dictionary does not know.
    std::u32string suggest(const std::u32string& word, Stats& stats) {
        std::u32string padded = U"__" + word + U"__";
        std::string trigrams;
        for (size_t i = 0; i + 3 <= padded.size(); ++i)
            trigrams += (trigrams.empty() ? "" : " ") + encode(padded.substr(i, 3));
        auto len = static_cast<long>(word.size());
        std::string sql = "SELECT keyword, WEIGHT() + 2 - ABS(len - " + std::to_string(len) +
                          ") AS myrank FROM suggest WHERE MATCH('\"" + trigrams + "\"/1') AND len BETWEEN " +
                          std::to_string(std::max(0L, len - 2)) + " AND " + std::to_string(len + 2) +
                          " ORDER BY myrank DESC, freq DESC LIMIT 10 OPTION ranker=wordcount";
        for (auto& row : rows(sql, stats)) {
            auto candidate = decode(row[0]);
            if (levenshtein(word, candidate) <= 2) return candidate;
        }
        return word;
    }

    const Options& o_;
    const std::unordered_map<std::u32string, long>& dict_;
    MYSQL* db_ = nullptr;
};

double pct(std::vector<double>& v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<size_t>(static_cast<double>(v.size()) * p))];
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        std::string flag = argv[i];
        if (flag == "--once") {
            o.once = true;
            continue;
        }
        if (i + 1 >= argc) {
            std::cerr << "usage: bench_sphinxql --port P --terms terms.txt [--mode search|prefix] [--connections N]"
                         " [--duration S | --once] [--limit N] [--dict dict.txt] [--ids ids.txt]\n";
            return 2;
        }
        std::string value = argv[++i];
        if (flag == "--port")
            o.port = static_cast<unsigned>(std::stoul(value));
        else if (flag == "--terms")
            o.terms = value;
        else if (flag == "--mode")
            o.mode = value;
        else if (flag == "--connections")
            o.connections = std::stoi(value);
        else if (flag == "--duration")
            o.duration = std::stod(value);
        else if (flag == "--limit")
            o.limit = std::stoi(value);
        else if (flag == "--dict")
            o.dict = value;
        else if (flag == "--ids")
            o.ids = value;
    }
    std::vector<std::string> terms;
    {
        std::ifstream f(o.terms);
        for (std::string line; std::getline(f, line);)
            if (!line.empty()) terms.push_back(line);
    }
    std::unordered_map<std::u32string, long> dict;
    if (!o.dict.empty()) {
        std::ifstream f(o.dict);
        std::string word;
        long count = 0;
        while (f >> word >> count) dict[decode(word)] = count;
    }
    if (terms.empty() || o.port == 0) {
        std::cerr << "bench_sphinxql: no terms or no port\n";
        return 2;
    }
    mysql_library_init(0, nullptr, nullptr);
    std::vector<std::unique_ptr<Client>> clients;
    try {
        for (int i = 0; i < o.connections; ++i) clients.push_back(std::make_unique<Client>(o, dict));
    } catch (const std::exception& e) {
        std::cerr << "bench_sphinxql: " << e.what() << "\n";
        return 1;
    }

    std::vector<std::vector<std::string>> answers(o.once ? terms.size() : 0);
    std::vector<Stats> stats(static_cast<size_t>(o.connections));
    std::atomic<size_t> next{0};
    std::atomic<int64_t> last_done{0};
    auto start = Clock::now();
    auto end = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.duration));
    std::vector<std::thread> threads;
    threads.reserve(static_cast<size_t>(o.connections));
    for (int t = 0; t < o.connections; ++t) {
        threads.emplace_back([&, t] {
            mysql_thread_init();
            auto& st = stats[static_cast<size_t>(t)];
            auto& client = *clients[static_cast<size_t>(t)];
            for (;;) {
                size_t k = next++;
                if (o.once ? k >= terms.size() : Clock::now() >= end) break;
                auto began = Clock::now();
                auto found = client.search(terms[k % terms.size()], st);
                auto done = Clock::now();
                st.latencies_ms.push_back(std::chrono::duration<double, std::milli>(done - began).count());
                if (o.once) answers[k] = std::move(found);
                int64_t at = (done - start).count();
                for (int64_t seen = last_done.load(); at > seen && !last_done.compare_exchange_weak(seen, at);) {
                }
            }
            mysql_thread_end();
        });
    }
    for (auto& th : threads) th.join();
    clients.clear();
    mysql_library_end();

    Stats all;
    for (auto& st : stats) {
        all.latencies_ms.insert(all.latencies_ms.end(), st.latencies_ms.begin(), st.latencies_ms.end());
        all.round_trips += st.round_trips;
        all.corrected += st.corrected;
        all.errors += st.errors;
    }
    double elapsed = std::chrono::duration<double>(Clock::duration(last_done.load())).count();
    auto n = all.latencies_ms.size();
    std::printf(
        "{\"searches\": %zu, \"elapsed_s\": %.3f, \"rate\": %.1f, \"p50_ms\": %.3f, \"p99_ms\": %.3f, "
        "\"round_trips\": %ld, \"corrected\": %ld, \"errors\": %ld}\n",
        n, elapsed, elapsed > 0 ? static_cast<double>(n) / elapsed : 0.0, pct(all.latencies_ms, 0.5),
        pct(all.latencies_ms, 0.99), all.round_trips, all.corrected, all.errors);
    if (!o.ids.empty()) {
        std::ofstream f(o.ids);
        for (auto& a : answers) {
            std::string line;
            for (auto& id : a) line += (line.empty() ? "" : ",") + id;
            f << line << "\n";
        }
    }
    return all.errors == 0 ? 0 : 1;
}
