// The table of contents of tango._tango: one register_<domain>() per file, in dependency order.
#include "pytango.hpp"
#include "gil.hpp"

namespace pt {
void register_enums(py::module_ &m);
void register_exceptions(py::module_ &m);
void register_structs(py::module_ &m);
void register_attribute_config(py::module_ &m);
void register_containers(py::module_ &m);
void register_device_data(py::module_ &m);
void register_device_data_history(py::module_ &m);
void register_device_attribute(py::module_ &m);
void register_device_attribute_history(py::module_ &m);
void register_encoded_attribute(py::module_ &m);
void register_connection(py::module_ &m);
void register_device_proxy(py::module_ &m);
void register_db_structs(py::module_ &m);
void register_database(py::module_ &m);
void register_group(py::module_ &m);
void register_async_call(py::module_ &m);
void register_async_pool(py::module_ &m);
void register_constants(py::module_ &m);
void register_spec(py::module_ &m);
void register_device(py::module_ &m);
void register_attribute_objects(py::module_ &m);
void register_attribute_config_setters(py::module_ &m); // after register_attribute_objects: adds to Attribute
void register_util(py::module_ &m);
void register_server_logging(py::module_ &m); // after register_device: adds DeviceImpl methods
void register_server_threads(py::module_ &m); // idem
void register_database_servant(py::module_ &m);
void register_event_data(py::module_ &m);
void register_asynch_types(py::module_ &m);
void shutdown_subscriptions();
} // namespace pt

PYBIND11_MODULE(_tango, m) {
    m.doc() = "The compiled core of pytango: cppTango bound with pybind11.";
    pt::register_enums(m);
    pt::register_exceptions(m);
    pt::register_structs(m);
    pt::register_attribute_config(m);
    pt::register_containers(m); // after the structs they hold
    pt::register_device_data(m);
    pt::register_device_data_history(m);
    pt::register_device_attribute(m);
    pt::register_device_attribute_history(m);
    pt::register_encoded_attribute(m);
    pt::register_event_data(m);
    pt::register_asynch_types(m);
    pt::register_async_call(m);
    pt::register_async_pool(m);
    pt::register_connection(m); // the base of DeviceProxy and Database
    pt::register_device_proxy(m);
    pt::register_db_structs(m);
    pt::register_database(m);
    pt::register_group(m);
    m.def("_shutdown_subscriptions", [] { pt::without_gil([] { pt::shutdown_subscriptions(); }); },
          "Unsubscribe every event subscription (at interpreter exit).");
    pt::register_constants(m);
    pt::register_spec(m);
    pt::register_device(m);
    pt::register_attribute_objects(m);
    pt::register_attribute_config_setters(m);
    pt::register_util(m);
    pt::register_server_logging(m);
    pt::register_server_threads(m);
    pt::register_database_servant(m);
}
