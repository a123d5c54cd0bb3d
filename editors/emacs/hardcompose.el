;;; hardcompose.el --- Harden Docker Compose buffers on save -*- lexical-binding: t -*-

;; Keywords: tools, docker
;; Package-Requires: ((emacs "26.1"))

;;; Commentary:

;; `hardcompose-format-buffer' sends the buffer through
;; `hardcompose --stdin-filepath FILE' and replaces it only when hardcompose
;; exits 0 and changed something, with `replace-buffer-contents', which
;; keeps point, marks and the undo history (one undo takes it back).  On an
;; error the buffer stays as it is and the message is shown.  Without the
;; binary nothing happens.
;;
;; `hardcompose-on-save-mode' runs it before each save; it turns itself on
;; for compose.yaml, compose.*.yaml, docker-compose.yaml and
;; docker-compose.*.yaml (.yml too) through `hardcompose-maybe-enable':
;;
;;   (add-to-list 'load-path "/path/to/hardcompose/editors/emacs")
;;   (require 'hardcompose)
;;   (add-hook 'find-file-hook #'hardcompose-maybe-enable)
;;
;; `hardcompose-eglot-setup' registers `hardcompose lsp' with Eglot (Emacs
;; 29, or the elpa-eglot package on Emacs 26 to 28) for YAML buffers; then
;; M-x eglot (or `eglot-ensure' in `yaml-mode-hook') gives diagnostics,
;; quick fixes (M-x eglot-code-actions) and M-x eglot-format-buffer:
;;
;;   (with-eval-after-load 'eglot (hardcompose-eglot-setup))

;;; Code:

(defgroup hardcompose nil
  "Harden Docker Compose files with hardcompose."
  :group 'tools)

(defcustom hardcompose-command "hardcompose"
  "The hardcompose binary."
  :type 'string)

(defconst hardcompose-file-regexp
  "\\`\\(?:docker-\\)?compose\\(?:\\.[^/]*\\)?\\.ya?ml\\'"
  "File names `hardcompose-maybe-enable' turns the mode on for.")

(defun hardcompose-format-buffer ()
  "Replace the buffer with what hardcompose makes of it, when it succeeds."
  (interactive)
  (if (not (executable-find hardcompose-command))
      (message "hardcompose: %s not found; buffer left as it is" hardcompose-command)
    (let ((out (generate-new-buffer " *hardcompose*"))
          (err (make-temp-file "hardcompose-err"))
          (coding-system-for-read 'utf-8-unix)
          (coding-system-for-write 'utf-8-unix))
      (unwind-protect
          (let ((code (call-process-region
                       (point-min) (point-max) hardcompose-command nil (list out err) nil
                       "--stdin-filepath" (or buffer-file-name "-"))))
            (if (not (eq code 0))
                (message "hardcompose: %s"
                         (with-temp-buffer
                           (insert-file-contents err)
                           (string-trim (buffer-string))))
              (unless (= 0 (compare-buffer-substrings nil nil nil out nil nil))
                (replace-buffer-contents out))))
        (kill-buffer out)
        (delete-file err)))))

;;;###autoload
(define-minor-mode hardcompose-on-save-mode
  "Run `hardcompose-format-buffer' before each save."
  :lighter " hc"
  (if hardcompose-on-save-mode
      (add-hook 'before-save-hook #'hardcompose-format-buffer nil t)
    (remove-hook 'before-save-hook #'hardcompose-format-buffer t)))

;;;###autoload
(defun hardcompose-maybe-enable ()
  "Turn on `hardcompose-on-save-mode' in compose files."
  (when (and buffer-file-name
             (string-match-p hardcompose-file-regexp
                             (file-name-nondirectory buffer-file-name)))
    (hardcompose-on-save-mode 1)))

;;;###autoload
(defun hardcompose-eglot-setup (&optional modes)
  "Start `hardcompose lsp' for Eglot in MODES (default: the YAML modes)."
  (defvar eglot-server-programs)
  (add-to-list 'eglot-server-programs
               (cons (or modes '(yaml-mode yaml-ts-mode docker-compose-mode))
                     (list hardcompose-command "lsp"))))

(provide 'hardcompose)
;;; hardcompose.el ends here
