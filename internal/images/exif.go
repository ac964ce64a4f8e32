package images

import (
	"bytes"
	"encoding/binary"
)

// Orientation is the EXIF orientation tag (0x0112): how the stored pixels
// must be turned to be seen upright. 1 is upright; 2 to 8 mirror and
// rotate, as the TIFF 6.0 specification numbers them.
type Orientation int

// orientationTag is the TIFF tag of the orientation in IFD0.
const orientationTag = 0x0112

// maxIFDEntries bounds the entries read from IFD0; real files have a few
// dozen, and a hostile count must not make the reader loop for long.
const maxIFDEntries = 1024

// orientationOf finds the EXIF orientation of an encoded image: in a JPEG
// APP1 "Exif" segment, a PNG eXIf chunk or a WebP EXIF chunk. Anything
// missing, malformed or out of range counts as upright (1): a broken
// metadata block must not fail a photo whose pixels are fine.
func orientationOf(format string, data []byte) Orientation {
	var tiff []byte
	switch format {
	case "jpeg":
		tiff = jpegExif(data)
	case "png":
		tiff = pngExif(data)
	case "webp":
		tiff = webpExif(data)
	}
	return tiffOrientation(tiff)
}

// jpegExif returns the TIFF block of a JPEG's first APP1 "Exif" segment.
// It walks marker segments up to the first scan; every step moves forward,
// so it ends on any input.
func jpegExif(data []byte) []byte {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return nil
	}
	i := 2
	for i+4 <= len(data) {
		if data[i] != 0xFF {
			return nil
		}
		marker := data[i+1]
		switch {
		case marker == 0xFF: // fill byte
			i++
			continue
		case marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7): // no length
			i += 2
			continue
		case marker == 0xDA || marker == 0xD9: // start of scan, end of image
			return nil
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return nil
		}
		seg := data[i+4 : i+2+n]
		if marker == 0xE1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
			return seg[6:]
		}
		i += 2 + n
	}
	return nil
}

// pngExif returns the payload of a PNG's eXIf chunk.
func pngExif(data []byte) []byte {
	const sig = "\x89PNG\r\n\x1a\n"
	if !bytes.HasPrefix(data, []byte(sig)) {
		return nil
	}
	for i := len(sig); i+8 <= len(data); {
		n := int(binary.BigEndian.Uint32(data[i:]))
		typ := string(data[i+4 : i+8])
		if n < 0 || n > len(data)-i-12 {
			return nil
		}
		if typ == "eXIf" {
			return data[i+8 : i+8+n]
		}
		if typ == "IDAT" || typ == "IEND" { // eXIf must come before the pixels
			return nil
		}
		i += 12 + n
	}
	return nil
}

// webpExif returns the payload of a WebP file's EXIF chunk.
func webpExif(data []byte) []byte {
	if len(data) < 12 || string(data[:4]) != "RIFF" || string(data[8:12]) != "WEBP" {
		return nil
	}
	for i := 12; i+8 <= len(data); {
		n := int(binary.LittleEndian.Uint32(data[i+4:]))
		if n < 0 || n > len(data)-i-8 {
			return nil
		}
		if string(data[i:i+4]) == "EXIF" {
			p := data[i+8 : i+8+n]
			// Some writers keep the JPEG prefix in the chunk.
			return bytes.TrimPrefix(p, []byte("Exif\x00\x00"))
		}
		i += 8 + n + n&1 // chunks are padded to even sizes
	}
	return nil
}

// tiffOrientation reads tag 0x0112 from IFD0 of a TIFF block. It reads one
// directory only and never follows a pointer to another, so no offsets in
// the block can make it loop; every read is bounds-checked.
func tiffOrientation(tiff []byte) Orientation {
	if len(tiff) < 8 {
		return 1
	}
	var order binary.ByteOrder
	switch string(tiff[:2]) {
	case "II":
		order = binary.LittleEndian
	case "MM":
		order = binary.BigEndian
	default:
		return 1
	}
	if order.Uint16(tiff[2:]) != 42 {
		return 1
	}
	ifd := int64(order.Uint32(tiff[4:]))
	if ifd < 8 || ifd+2 > int64(len(tiff)) {
		return 1
	}
	count := int(order.Uint16(tiff[ifd:]))
	entries := tiff[ifd+2:]
	count = min(count, maxIFDEntries, len(entries)/12)
	for k := range count {
		e := entries[k*12 : k*12+12]
		if order.Uint16(e) != orientationTag {
			continue
		}
		typ, n := order.Uint16(e[2:]), order.Uint32(e[4:])
		if typ != 3 || n != 1 { // SHORT, one value, stored in the entry
			return 1
		}
		if v := Orientation(order.Uint16(e[8:])); v >= 1 && v <= 8 {
			return v
		}
		return 1
	}
	return 1
}

// transposes reports whether the orientation swaps width and height.
func (o Orientation) transposes() bool { return o >= 5 && o <= 8 }
