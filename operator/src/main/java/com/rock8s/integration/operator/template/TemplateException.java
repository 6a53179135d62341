package com.rock8s.integration.operator.template;

/** A template that could not be parsed or rendered; the message names the template and the first problem. */
public class TemplateException extends Exception {
    public TemplateException(String message) {
        super(message);
    }
}
