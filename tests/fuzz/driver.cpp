// A stand-in for libFuzzer's main when building with g++: runs every corpus file, then mutations of
// them (bit flips, truncations, insertions, splices) with a fixed seed so that runs are repeatable.
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int main(int argc, char** argv) {
    std::vector<std::string> corpus;
    long runs = 1000;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a.rfind("-runs=", 0) == 0) {
            runs = std::stol(a.substr(6));
            continue;
        }
        std::filesystem::path p(a);
        auto add = [&](const std::filesystem::path& f) {
            std::ifstream in(f, std::ios::binary);
            std::stringstream ss;
            ss << in.rdbuf();
            corpus.push_back(ss.str());
        };
        if (std::filesystem::is_directory(p)) {
            for (const auto& e : std::filesystem::directory_iterator(p))
                if (e.is_regular_file()) add(e.path());
        } else {
            add(p);
        }
    }
    if (corpus.empty()) corpus.push_back("");
    for (const auto& c : corpus) LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(c.data()), c.size());
    std::mt19937_64 rng(12345);
    for (long r = 0; r < runs; ++r) {
        std::string s = corpus[rng() % corpus.size()];
        int edits = 1 + static_cast<int>(rng() % 8);
        for (int e = 0; e < edits; ++e) {
            switch (rng() % 5) {
                case 0:
                    if (!s.empty()) {
                        auto bit = 1u << (rng() % 8);  // drawn first, as `s[...] ^= bit` did
                        auto& c = s[rng() % s.size()];
                        c = static_cast<char>(c ^ bit);
                    }
                    break;
                case 1:
                    if (!s.empty()) s.resize(rng() % s.size());
                    break;
                case 2:
                    s.insert(s.begin() + static_cast<long>(s.empty() ? 0 : rng() % s.size()),
                             static_cast<char>(rng() % 256));
                    break;
                case 3: {
                    const auto& other = corpus[rng() % corpus.size()];
                    if (!other.empty()) s += other.substr(rng() % other.size());
                    break;
                }
                case 4:
                    if (!s.empty()) s.insert(rng() % s.size(), std::string(1 + rng() % 64, s[rng() % s.size()]));
                    break;
            }
        }
        LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(s.data()), s.size());
    }
    std::printf("fuzz driver: %zu corpus inputs, %ld mutations, no crash\n", corpus.size(), runs);
    return 0;
}
