-- hardcompose with conform.nvim: require this file from your config, or copy
-- the setup call. YAML that is not a compose file (Helm values, Kubernetes
-- manifests, workflows) passes through unchanged, so it is safe on `yaml`.
require("conform").setup({
  formatters = {
    hardcompose = {
      command = "hardcompose",
      args = { "--stdin-filepath", "$FILENAME" },
      stdin = true,
    },
  },
  formatters_by_ft = { ["yaml.docker-compose"] = { "hardcompose" }, yaml = { "hardcompose" } },
  format_on_save = { timeout_ms = 500 },
})
