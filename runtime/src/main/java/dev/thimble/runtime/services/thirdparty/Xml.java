package dev.thimble.runtime.services.thirdparty;

import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

import java.io.ByteArrayInputStream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;

/** Reads single values out of the XML answers of S3 and SES, with DTDs and external entities refused. */
final class Xml {
    private Xml() {
    }

    /** The text of the first element with this local name, or null when the body is not XML or has none. */
    static String first(byte[] body, String element) {
        Document document = parse(body);
        if (document == null) {
            return null;
        }
        NodeList nodes = document.getElementsByTagNameNS("*", element);
        if (nodes.getLength() == 0) {
            nodes = document.getElementsByTagName(element);
        }
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent().strip();
    }

    private static Document parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new DefaultHandler() {
                @Override
                public void error(SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            return builder.parse(new ByteArrayInputStream(body));
        } catch (Exception e) {
            // Not XML (an HTML error page from a proxy, say): the caller reports the status instead.
            return null;
        }
    }
}
