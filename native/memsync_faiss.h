/*
 * MemorySync's C ABI over FAISS (Debian's libfaiss 1.7.3, linked statically into this shim).
 *
 * Every function returns an MsStatus. On failure the message is copied (truncated, NUL-terminated) into the caller's
 * error buffer, so no C++ exception ever crosses this boundary and a bad call cannot take the silo down.
 *
 * Thread-safety is the caller's job: concurrent searches on one index are safe; add, remove, train and restore
 * must be exclusive with every other call on the same index (the managed wrapper enforces this with a lock).
 */
#ifndef MEMSYNC_FAISS_H
#define MEMSYNC_FAISS_H

#include <stddef.h>
#include <stdint.h>

/* Only the functions below are exported; everything of FAISS stays hidden inside the shim. */
#define MS_API __attribute__((visibility("default")))

#ifdef __cplusplus
extern "C" {
#endif

typedef enum MsStatus {
    MS_OK = 0,
    MS_INVALID_ARGUMENT = 1,
    MS_FAISS_ERROR = 2,
    MS_OUT_OF_MEMORY = 3,
    MS_UNKNOWN_ERROR = 4
} MsStatus;

/* Matches faiss::MetricType for the two metrics MemorySync uses. */
typedef enum MsMetric { MS_METRIC_INNER_PRODUCT = 0, MS_METRIC_L2 = 1 } MsMetric;

typedef struct MsIndex MsIndex;

/* Builds faiss::index_factory(dim, factory, metric); callers choose the ids. An IVF index keeps them itself (with a
 * hashtable direct map, so removal and reconstruction work); any other index is wrapped in an IndexIDMap2. */
MS_API MsStatus ms_index_create(const char* factory, int32_t metric, int32_t dim, MsIndex** out, char* err, size_t err_len);
MS_API void ms_index_free(MsIndex* index);

MS_API MsStatus ms_index_dimension(const MsIndex* index, int32_t* out_dim, char* err, size_t err_len);
MS_API MsStatus ms_index_count(const MsIndex* index, int64_t* out_count, char* err, size_t err_len);
MS_API MsStatus ms_index_is_trained(const MsIndex* index, int32_t* out_trained, char* err, size_t err_len);

/* Trains the index (IVF and scalar quantizers need it before the first add; Flat does not). */
MS_API MsStatus ms_index_train(MsIndex* index, int64_t n, const float* vectors, char* err, size_t err_len);

/* Adds n vectors (n * dim floats, row-major) with their ids. */
MS_API MsStatus ms_index_add(MsIndex* index, int64_t n, const float* vectors, const int64_t* ids, char* err, size_t err_len);

/* Removes the given ids; out_removed receives how many were present. */
MS_API MsStatus ms_index_remove(MsIndex* index, int64_t n, const int64_t* ids, int64_t* out_removed, char* err, size_t err_len);

/* Copies the vector stored under id into out_vector (dim floats); out_found is 0 when the id is absent. */
MS_API MsStatus ms_index_reconstruct(const MsIndex* index, int64_t id, float* out_vector, int32_t* out_found, char* err,
                                     size_t err_len);

/* Searches n queries for their k nearest: distances and labels are n * k each; a missing neighbour has label -1. */
MS_API MsStatus ms_index_search(const MsIndex* index, int64_t n, const float* queries, int64_t k, float* distances,
                         int64_t* labels, char* err, size_t err_len);

/* Serializes the whole index (ids included) into a buffer that the caller releases with ms_buffer_free. */
MS_API MsStatus ms_index_serialize(const MsIndex* index, uint8_t** out_buffer, size_t* out_len, char* err, size_t err_len);
MS_API void ms_buffer_free(uint8_t* buffer);

/* Restores an index written by ms_index_serialize. Search-time parameters are those it was written with. */
MS_API MsStatus ms_index_deserialize(const uint8_t* buffer, size_t len, MsIndex** out, char* err, size_t err_len);

/* Sets a search-time parameter through faiss::ParameterSpace, for example "nprobe" of an IVF index. A name the index
 * does not know is an MS_FAISS_ERROR with FAISS's message. Exclusive, like add. */
MS_API MsStatus ms_index_set_parameter(MsIndex* index, const char* name, double value, char* err, size_t err_len);

/* Caps OpenMP and OpenBLAS threads: on two cores their default pools oversubscribe and batched search slows down. */
MS_API void ms_set_thread_count(int32_t threads);

#ifdef __cplusplus
}
#endif

#endif
