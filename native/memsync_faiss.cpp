// The implementation of memsync_faiss.h. Each entry point runs its body inside Guard(), which turns every C++
// exception into a status code and a message for the managed side.
#include "memsync_faiss.h"

#include <faiss/AutoTune.h>
#include <faiss/IVFlib.h>
#include <faiss/IndexIDMap.h>
#include <faiss/IndexIVF.h>
#include <faiss/impl/AuxIndexStructures.h>
#include <faiss/impl/FaissException.h>
#include <faiss/impl/IDSelector.h>
#include <faiss/impl/io.h>
#include <faiss/index_factory.h>
#include <faiss/index_io.h>

#include <omp.h>

#include <cstring>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>

extern "C" void openblas_set_num_threads(int threads);

// Who keeps the caller's ids. IndexIDMap2 assumes the inner index renumbers its rows when some are removed, as Flat
// and SQ8 do; an IVF index keeps its ids as they are (and removes through its direct map only with an array of ids),
// so an IVF index takes the caller's ids itself, with a hashtable direct map for removal and reconstruction.
struct MsIndex {
    std::unique_ptr<faiss::Index> index;
    faiss::IndexIDMap2* map = nullptr;  // set when an IndexIDMap2 maps the ids
    faiss::IndexIVF* ivf = nullptr;     // set when the IVF index holds the ids itself
};

namespace {

void CopyMessage(const char* message, char* err, size_t err_len) {
    if (err == nullptr || err_len == 0) {
        return;
    }
    std::strncpy(err, message, err_len - 1);
    err[err_len - 1] = '\0';
}

struct InvalidArgument : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

template <typename Body>
MsStatus Guard(char* err, size_t err_len, Body body) {
    try {
        body();
        return MS_OK;
    } catch (const InvalidArgument& e) {
        CopyMessage(e.what(), err, err_len);
        return MS_INVALID_ARGUMENT;
    } catch (const faiss::FaissException& e) {
        CopyMessage(e.what(), err, err_len);
        return MS_FAISS_ERROR;
    } catch (const std::bad_alloc&) {
        CopyMessage("out of memory", err, err_len);
        return MS_OUT_OF_MEMORY;
    } catch (const std::exception& e) {
        CopyMessage(e.what(), err, err_len);
        return MS_UNKNOWN_ERROR;
    } catch (...) {
        CopyMessage("unknown native error", err, err_len);
        return MS_UNKNOWN_ERROR;
    }
}

void Require(bool condition, const char* message) {
    if (!condition) {
        throw InvalidArgument(message);
    }
}

const MsIndex& Held(const MsIndex* index) {
    Require(index != nullptr && index->index != nullptr, "index handle is null");
    return *index;
}

MsIndex& Held(MsIndex* index) {
    Require(index != nullptr && index->index != nullptr, "index handle is null");
    return *index;
}

// Takes ownership of an index made by the factory or read back from a snapshot and decides who keeps the ids.
MsIndex* Adopt(std::unique_ptr<faiss::Index> index) {
    auto held = std::make_unique<MsIndex>();
    if (auto* map = dynamic_cast<faiss::IndexIDMap2*>(index.get())) {
        held->map = map;
    } else if (auto* ivf = dynamic_cast<faiss::IndexIVF*>(index.get())) {
        // Snapshots keep the direct map, but one written by another tool might not: removal needs the hashtable.
        if (ivf->direct_map.type != faiss::DirectMap::Hashtable) {
            ivf->set_direct_map_type(faiss::DirectMap::Hashtable);
        }
        held->ivf = ivf;
    } else {
        // An IVF hidden behind a transform would get IndexIDMap2's renumbering wrong on removal.
        Require(faiss::ivflib::try_extract_index_ivf(index.get()) == nullptr,
                "an IVF index must be the outer index of the factory string (no transform in front): removal needs its ids");
        auto map = std::make_unique<faiss::IndexIDMap2>(index.get());
        index.release();
        map->own_fields = true;
        held->map = map.get();
        index = std::move(map);
    }
    held->index = std::move(index);
    return held.release();
}

// The index that search-time parameters (nprobe and the like) apply to.
faiss::Index* Tunable(MsIndex& index) {
    return index.map != nullptr ? index.map->index : index.index.get();
}

}  // namespace

extern "C" {

MsStatus ms_index_create(const char* factory, int32_t metric, int32_t dim, MsIndex** out, char* err, size_t err_len) {
    return Guard(err, err_len, [&] {
        Require(out != nullptr, "out pointer is null");
        Require(factory != nullptr && factory[0] != '\0', "factory string is empty");
        Require(dim > 0, "dimension must be positive");
        Require(metric == MS_METRIC_INNER_PRODUCT || metric == MS_METRIC_L2, "metric must be inner product or L2");
        // The caller owns ids, so an id map is always the outer layer; a factory that already adds one would nest.
        Require(std::strncmp(factory, "IDMap", 5) != 0, "factory string must not start with IDMap: ids are always mapped");
        faiss::MetricType faiss_metric = metric == MS_METRIC_L2 ? faiss::METRIC_L2 : faiss::METRIC_INNER_PRODUCT;
        *out = Adopt(std::unique_ptr<faiss::Index>(faiss::index_factory(dim, factory, faiss_metric)));
    });
}

void ms_index_free(MsIndex* index) {
    delete index;
}

MsStatus ms_index_dimension(const MsIndex* index, int32_t* out_dim, char* err, size_t err_len) {
    return Guard(err, err_len, [&] {
        Require(out_dim != nullptr, "out pointer is null");
        *out_dim = static_cast<int32_t>(Held(index).index->d);
    });
}

MsStatus ms_index_count(const MsIndex* index, int64_t* out_count, char* err, size_t err_len) {
    return Guard(err, err_len, [&] {
        Require(out_count != nullptr, "out pointer is null");
        *out_count = Held(index).index->ntotal;
    });
}

MsStatus ms_index_is_trained(const MsIndex* index, int32_t* out_trained, char* err, size_t err_len) {
    return Guard(err, err_len, [&] {
        Require(out_trained != nullptr, "out pointer is null");
        *out_trained = Held(index).index->is_trained ? 1 : 0;
    });
}

MsStatus ms_index_train(MsIndex* index, int64_t n, const float* vectors, char* err, size_t err_len) {
    return Guard(err, err_len, [&] {
        Require(n > 0 && vectors != nullptr, "training needs at least one vector");
        Held(index).index->train(n, vectors);
    });
}

MsStatus ms_index_add(MsIndex* index, int64_t n, const float* vectors, const int64_t* ids, char* err, size_t err_len) {
    return Guard(err, err_len, [&] {
        Require(n >= 0, "count must not be negative");
        if (n == 0) {
            return;
        }
        Require(vectors != nullptr && ids != nullptr, "vectors and ids must not be null");
        Held(index).index->add_with_ids(n, vectors, ids);
    });
}

MsStatus ms_index_remove(MsIndex* index, int64_t n, const int64_t* ids, int64_t* out_removed, char* err, size_t err_len) {
    return Guard(err, err_len, [&] {
        Require(out_removed != nullptr, "out pointer is null");
        Require(n >= 0, "count must not be negative");
        *out_removed = 0;
        if (n == 0) {
            return;
        }
        Require(ids != nullptr, "ids must not be null");
        MsIndex& held = Held(index);
        if (held.ivf != nullptr) {
            // The hashtable direct map removes only ids it is given one by one.
            faiss::IDSelectorArray selector(static_cast<size_t>(n), ids);
            *out_removed = static_cast<int64_t>(held.ivf->remove_ids(selector));
        } else {
            faiss::IDSelectorBatch selector(n, ids);
            *out_removed = static_cast<int64_t>(held.map->remove_ids(selector));
        }
    });
}

MsStatus ms_index_reconstruct(const MsIndex* index, int64_t id, float* out_vector, int32_t* out_found, char* err,
                              size_t err_len) {
    return Guard(err, err_len, [&] {
        Require(out_vector != nullptr && out_found != nullptr, "out pointers are null");
        const MsIndex& held = Held(index);
        // Look the id up first: FAISS reports an unknown id by throwing, which is an answer here, not an error.
        bool found = held.ivf != nullptr ? held.ivf->direct_map.hashtable.count(id) != 0 : held.map->rev_map.count(id) != 0;
        *out_found = found ? 1 : 0;
        if (found) {
            held.index->reconstruct(id, out_vector);
        }
    });
}

MsStatus ms_index_search(const MsIndex* index, int64_t n, const float* queries, int64_t k, float* distances,
                         int64_t* labels, char* err, size_t err_len) {
    return Guard(err, err_len, [&] {
        Require(n >= 0, "query count must not be negative");
        Require(k > 0, "k must be positive");
        if (n == 0) {
            return;
        }
        Require(queries != nullptr && distances != nullptr && labels != nullptr, "buffers must not be null");
        Held(index).index->search(n, queries, k, distances, labels);
    });
}

MsStatus ms_index_serialize(const MsIndex* index, uint8_t** out_buffer, size_t* out_len, char* err, size_t err_len) {
    return Guard(err, err_len, [&] {
        Require(out_buffer != nullptr && out_len != nullptr, "out pointers are null");
        faiss::VectorIOWriter writer;
        faiss::write_index(Held(index).index.get(), &writer);
        auto* buffer = new uint8_t[writer.data.size()];
        std::memcpy(buffer, writer.data.data(), writer.data.size());
        *out_buffer = buffer;
        *out_len = writer.data.size();
    });
}

void ms_buffer_free(uint8_t* buffer) {
    delete[] buffer;
}

MsStatus ms_index_deserialize(const uint8_t* buffer, size_t len, MsIndex** out, char* err, size_t err_len) {
    return Guard(err, err_len, [&] {
        Require(out != nullptr, "out pointer is null");
        Require(buffer != nullptr && len > 0, "buffer is empty");
        faiss::VectorIOReader reader;
        reader.data.assign(buffer, buffer + len);
        std::unique_ptr<faiss::Index> restored(faiss::read_index(&reader));
        Require(dynamic_cast<faiss::IndexIDMap2*>(restored.get()) != nullptr || dynamic_cast<faiss::IndexIVF*>(restored.get()) != nullptr,
                "buffer does not hold an index written by ms_index_serialize");
        *out = Adopt(std::move(restored));
    });
}

MsStatus ms_index_set_parameter(MsIndex* index, const char* name, double value, char* err, size_t err_len) {
    return Guard(err, err_len, [&] {
        Require(name != nullptr && name[0] != '\0', "parameter name is empty");
        // ParameterSpace throws, with the parameter's name, when the index has no such parameter.
        faiss::ParameterSpace().set_index_parameter(Tunable(Held(index)), name, value);
    });
}

void ms_set_thread_count(int32_t threads) {
    if (threads < 1) {
        threads = 1;
    }
    omp_set_num_threads(threads);
    openblas_set_num_threads(threads);
}

}  // extern "C"
