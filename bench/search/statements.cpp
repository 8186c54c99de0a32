// Prints the premieres service's search and suggest SQL as one JSON object, so that bench/search runs the
// very statements the service runs ("search", "suggest"; see premieres/search/statements.hpp).
#include <boost/json.hpp>
#include <iostream>

#include "premieres/search/statements.hpp"

int main() {
    boost::json::object out{{"search", chance::premieres::search_statement()},
                            {"suggest", chance::premieres::suggest_statement()}};
    std::cout << boost::json::serialize(out) << "\n";
}
