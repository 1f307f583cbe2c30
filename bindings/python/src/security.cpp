// Z85, CURVE key pairs and certificate files (pyzmq's zmq.utils.z85, zmq.curve_keypair,
// zmq.curve_public, zmq.auth.certs).
#include "common.hpp"

#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <cerrno>
#include <filesystem>
#include <map>
#include <span>
#include <string>

namespace ringmq::python {

namespace {

std::string_view bytes_view(py::handle data, Py_buffer& view) {
  if (PyUnicode_Check(data.ptr())) {
    Py_ssize_t size = 0;
    const char* text = PyUnicode_AsUTF8AndSize(data.ptr(), &size);
    if (text == nullptr) throw py::error_already_set();
    return {text, static_cast<std::size_t>(size)};
  }
  if (PyObject_GetBuffer(data.ptr(), &view, PyBUF_ANY_CONTIGUOUS) != 0) throw py::error_already_set();
  return {static_cast<const char*>(view.buf), static_cast<std::size_t>(view.len)};
}

// Runs `fn`, turning file-system errors into OSError (as pyzmq's pure-Python code raises).
template <class Fn>
auto with_os_errors(Fn fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const ringmq::error&) {
    throw;  // a bad key: ZMQError through the translator
  } catch (const std::system_error& e) {
    // OSError(errno, ...) builds the matching subclass (FileNotFoundError, ...): raise it as
    // the type it is.
    const py::object err = py::reinterpret_borrow<py::object>(PyExc_OSError)(e.code().value(), e.what());
    PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(err.ptr())), err.ptr());
    throw py::error_already_set();
  }
}

}  // namespace

void bind_security(py::module_& m) {
  m.def(
      "z85_encode",
      [](py::handle data) {
        Py_buffer view{};
        const std::string_view raw = bytes_view(data, view);
        auto text = z85_encode(std::as_bytes(std::span(raw.data(), raw.size())));
        PyBuffer_Release(&view);
        if (!text) throw py::value_error("z85.encode: length must be a multiple of 4 bytes");
        return py::bytes(*text);
      },
      py::arg("rawbytes"), "Z85 (rfc 32) text of `rawbytes`, whose length is a multiple of 4.");
  m.def(
      "z85_decode",
      [](py::handle text) {
        Py_buffer view{};
        const std::string_view z85 = bytes_view(text, view);
        auto raw = z85_decode(z85);
        PyBuffer_Release(&view);
        if (!raw) throw py::value_error("z85.decode: not Z85 text (length a multiple of 5, Z85 alphabet)");
        return py::bytes(reinterpret_cast<const char*>(raw->data()), raw->size());
      },
      py::arg("z85bytes"), "The bytes of Z85 (rfc 32) text.");
  m.def(
      "curve_keypair",
      [] {
        const ringmq::curve_keypair pair = generate_curve_keypair();
        return py::make_tuple(py::bytes(pair.public_key), py::bytes(pair.secret_key));
      },
      "A new CURVE key pair (public, secret), each 40 bytes of Z85.");
  m.def(
      "curve_public",
      [](py::handle secret) {
        Py_buffer view{};
        const std::string_view key = bytes_view(secret, view);
        std::string pub;
        try {
          pub = curve_public_key(key);
        } catch (...) {
          PyBuffer_Release(&view);
          throw;
        }
        PyBuffer_Release(&view);
        return py::bytes(pub);
      },
      py::arg("secret_key"), "The Z85 public key of a secret key (40 bytes of Z85 or 32 raw bytes).");
  m.def(
      "create_certificates",
      [](const std::filesystem::path& directory, const std::string& name,
         const std::map<std::string, std::string>& metadata) {
        return with_os_errors([&] {
          const curve_certificate_files files = create_curve_certificates(directory, name, metadata);
          return py::make_tuple(files.public_file.string(), files.secret_file.string());
        });
      },
      py::arg("key_dir"), py::arg("name"), py::arg("metadata") = std::map<std::string, std::string>{},
      "Writes <name>.key and <name>.key_secret in key_dir; returns their paths.");
  m.def(
      "load_certificate",
      [](const std::filesystem::path& file) {
        return with_os_errors([&] {
          const curve_certificate cert = load_curve_certificate(file);
          py::object secret =
              cert.secret_key.empty() ? py::object(py::none()) : py::object(py::bytes(cert.secret_key));
          return py::make_tuple(py::bytes(cert.public_key), secret);
        });
      },
      py::arg("filename"), "(public_key, secret_key or None) of a certificate file, in Z85.");
  m.def(
      "load_certificates",
      [](const std::filesystem::path& directory) {
        return with_os_errors([&] {
          py::dict keys;
          for (const std::string& key : load_curve_public_keys(directory)) keys[py::bytes(key)] = true;
          return keys;
        });
      },
      py::arg("directory") = ".", "{public_key: True} for every *.key file in `directory`.");
  m.def("version", [] {
    const version_info v = ringmq::version();
    return py::make_tuple(v.major, v.minor, v.patch);
  });
}

}  // namespace ringmq::python
