#include "premieres/catalog/poster.hpp"

#include <sstream>
#include <vector>

#include "chance/core/json.hpp"
#include "chance/core/text.hpp"

namespace chance::premieres {

std::string poster_svg(int64_t id, std::string_view title, std::string_view theatre) {
    static constexpr const char* kPalette[][2] = {{"#5b0f1a", "#c9a227"}, {"#1b2a4a", "#e0b04b"},
                                                  {"#2d1b3d", "#d98c5f"}, {"#10352e", "#d4af37"},
                                                  {"#3b1f0e", "#f0c987"}, {"#26262e", "#c0392b"}};
    const auto& pal = kPalette[static_cast<size_t>(id) % 6];
    // Wrap the title into lines of at most ~14 characters (UTF-8 aware: count code points).
    std::vector<std::string> lines;
    std::string line, word;
    auto flush_word = [&] {
        if (word.empty()) return;
        if (!line.empty() && json::utf8_length(line) + 1 + json::utf8_length(word) > 14) {
            lines.push_back(line);
            line.clear();
        }
        line += (line.empty() ? "" : " ") + word;
        word.clear();
    };
    for (char c : title) {
        if (c == ' ')
            flush_word();
        else
            word += c;
    }
    flush_word();
    if (!line.empty()) lines.push_back(line);
    std::ostringstream svg;
    svg << R"(<svg xmlns="http://www.w3.org/2000/svg" width="400" height="600" viewBox="0 0 400 600">)"
        << R"(<defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color=")" << pal[0]
        << R"("/><stop offset="1" stop-color="#0b0b0f"/></linearGradient></defs>)"
        << R"svg(<rect width="400" height="600" fill="url(#g)"/>)svg"
        << R"(<rect x="20" y="20" width="360" height="560" fill="none" stroke=")" << pal[1] << R"(" stroke-width="2"/>)"
        << R"(<circle cx="200" cy="170" r="70" fill="none" stroke=")" << pal[1]
        << R"(" stroke-width="3" opacity="0.7"/>)";
    int y = 320;
    for (const auto& l : lines) {
        svg << R"(<text x="200" y=")" << y << R"(" font-family="serif" font-size="38" font-weight="bold" fill=")"
            << pal[1] << R"(" text-anchor="middle">)" << text::html_escape(l) << "</text>";
        y += 46;
    }
    svg << R"(<text x="200" y="540" font-family="sans-serif" font-size="18" fill="#eeeeee" text-anchor="middle">)"
        << text::html_escape(theatre) << "</text></svg>";
    return svg.str();
}

}  // namespace chance::premieres
