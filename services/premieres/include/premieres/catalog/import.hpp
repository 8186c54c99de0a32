#pragma once
// Catalog import (docs/adr/0023): a theatre's season as a CSV or JSON file of premieres. The whole file is read and
// every row validated as the premiere editor validates one (read_premiere) before anything is written; a file with any
// invalid row writes nothing and is answered with its errors row by row. A valid file becomes an import job that a
// worker writes in batches, matching premieres by slug (a new slug is created, an existing premiere updated, an
// unchanged one left alone), recording its progress for the admin to watch.
#include <boost/json/object.hpp>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "chance/pg/pg.hpp"
#include "premieres/catalog/admin.hpp"
#include "premieres/catalog/premiere_row.hpp"

namespace chance::premieres {

inline constexpr int kMaxImportRows = 100'000;
inline constexpr size_t kMaxImportBytes = size_t{32} * 1024 * 1024;

// CSV records: fields separated by `separator`; a quoted field may hold separators, doubled quotes and line breaks;
// CRLF or LF ends a record; a trailing empty line is no record. Throws std::invalid_argument for a quote left open.
// Pure; fuzzed.
std::vector<std::vector<std::string>> parse_csv(std::string_view text, char separator);

struct ImportRowError {
    int row = 0;  // CSV: the spreadsheet's row (the header is 1); JSON: the position in the array, from 1
    std::string field;
    std::string message;
};

struct ImportFile {
    std::string format;                 // csv | json
    int total = 0;                      // premieres in the file
    std::vector<PremiereDraft> drafts;  // the valid ones, in file order
    std::vector<ImportRowError> errors;
};

// The file as premieres (`content_type`: text/csv or application/json): 400 naming `file` when it is none (empty,
// not UTF-8, no header, an unknown column, more than kMaxImportRows, not an array of objects), else every row's
// errors. CSV prices are in rubles («1500», «1500,50»), periods «24:1|48:1,5», cast «Актёр: Роль|…», flags
// да/нет. Pure; fuzzed.
ImportFile read_import(std::string_view body, std::string_view content_type);

class CatalogImports {
  public:
    CatalogImports(pg::Pool& pool, CatalogAdmin& admin) : pool_(pool), admin_(admin) {}

    // A dry run: {total, valid, creates, updates, errors: []}; a file with errors is a 422 listing them.
    boost::json::object check(const ImportFile& file);
    // Checks the file as check() does, records the job and hands it to the worker: {id, status, total, done, …}.
    boost::json::object start(ImportFile file, const std::string& admin);
    boost::json::object status(const std::string& id);
    // The 20 latest imports, newest first.
    boost::json::object recent();
    // The worker: writes the started imports one at a time until stopped.
    void run(const std::stop_token& st);

  private:
    struct Job {
        std::string id;
        std::string admin;
        std::vector<PremiereDraft> drafts;
    };
    void write(const Job& job, const std::stop_token& st);

    pg::Pool& pool_;
    CatalogAdmin& admin_;
    std::mutex mu_;
    std::condition_variable_any cv_;
    std::deque<Job> queue_;
};

}  // namespace chance::premieres
