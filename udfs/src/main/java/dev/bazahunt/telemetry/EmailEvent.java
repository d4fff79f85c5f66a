package dev.bazahunt.telemetry;

import java.util.List;

/**
 * One row of Defender's {@code EmailEvents} table: one delivery of a message to one recipient. It names
 * no device: a message is identified by {@code NetworkMessageId}, its recipient by
 * {@code RecipientEmailAddress} and {@code RecipientObjectId}. A Flink POJO.
 */
public class EmailEvent extends DefenderEvent {
    public String networkMessageId;
    public String internetMessageId;
    public String senderMailFromAddress;
    public String senderFromAddress;
    public String senderDisplayName;
    public String senderObjectId;
    public String senderMailFromDomain;
    public String senderFromDomain;
    public String senderIPv4;
    public String senderIPv6;
    public String recipientEmailAddress;
    public String recipientObjectId;
    public String recipientDomain;
    public String subject;
    public String emailDirection;
    public String deliveryAction;
    public String deliveryLocation;
    public String threatTypes;
    public String detectionMethods;
    public String emailAction;
    public Long attachmentCount;
    public Long urlCount;
    public String emailLanguage;
    /** ReportId: text here; the email tables do not use the device tables' long counter. */
    public String reportId;
    /** AdditionalFields: kept as JSON text, as on the device tables. */
    public String additionalFields;

    /** The Defender column names this class carries, in wire spelling. */
    public static final List<String> COLUMNS = List.of(
            "Timestamp",
            "NetworkMessageId",
            "InternetMessageId",
            "SenderMailFromAddress",
            "SenderFromAddress",
            "SenderDisplayName",
            "SenderObjectId",
            "SenderMailFromDomain",
            "SenderFromDomain",
            "SenderIPv4",
            "SenderIPv6",
            "RecipientEmailAddress",
            "RecipientObjectId",
            "RecipientDomain",
            "Subject",
            "EmailDirection",
            "DeliveryAction",
            "DeliveryLocation",
            "ThreatTypes",
            "DetectionMethods",
            "EmailAction",
            "AttachmentCount",
            "UrlCount",
            "EmailLanguage",
            "ReportId",
            "AdditionalFields");

    public EmailEvent() {}

    @Override
    public DefenderTable table() {
        return DefenderTable.EMAIL_EVENTS;
    }

    @Override
    public String toString() {
        return "EmailEvent{" + networkMessageId + " @" + timestamp + " to " + recipientEmailAddress + " \""
                + subject + "\"}";
    }
}
