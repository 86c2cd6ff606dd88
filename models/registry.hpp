// The list of models ptmc knows, each with its simulation and its theory. Adding a model: write
// models/<name>.{hpp,cpp} (and its solver under analysis/, if it has one) and add one line to
// models/registry.cpp (docs/adding-a-model.md).
#pragma once
#include <span>
#include <string_view>
#include <vector>

#include "engine/model_entry.hpp"

namespace ptmc {

std::span<const ModelEntry> model_registry();
const ModelEntry* find_model(std::string_view name);
std::vector<ModelSchema> model_schemas();

}  // namespace ptmc
